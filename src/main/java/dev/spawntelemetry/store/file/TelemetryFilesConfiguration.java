package dev.spawntelemetry.store.file;

import dev.spawntelemetry.store.TelemetryFileReader;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The file format's reader, for any backend to load a file: whichever backend runs. */
@Configuration(proxyBeanMethods = false)
class TelemetryFilesConfiguration {

	@Bean
	TelemetryFileReader telemetryFileReader() {
		return TelemetryFiles::read;
	}

}
