package dev.spawntelemetry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

// no user store: access is by bearer token (security package), never by a generated password
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class SpawnTelemetryApplication {

	public static void main(String[] args) {
		SpringApplication.run(SpawnTelemetryApplication.class, args);
	}

}
