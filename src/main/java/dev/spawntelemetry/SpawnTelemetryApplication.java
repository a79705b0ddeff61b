package dev.spawntelemetry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SpawnTelemetryApplication {

	public static void main(String[] args) {
		SpringApplication.run(SpawnTelemetryApplication.class, args);
	}

}
