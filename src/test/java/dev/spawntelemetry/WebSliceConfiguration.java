package dev.spawntelemetry;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.spawntelemetry.routing.RoutingProperties;
import dev.spawntelemetry.telemetry.DecisionLogProperties;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.web.JsonConfiguration;
import dev.spawntelemetry.web.ProblemResponseWriter;
import dev.spawntelemetry.web.WebProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * What a web slice test needs beside its controllers: the port in memory, a clock that
 * stands still, the service's configuration properties and JSON, and a meter registry. A
 * slice has no security (AccessTokensIT covers it on the whole service). Only slices
 * import it; every other test runs on a real backend.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({ HistoryProperties.class, DecisionLogProperties.class, Limits.class,
		RoutingProperties.class, WebProperties.class })
@Import({ JsonConfiguration.class, ProblemResponseWriter.class })
public class WebSliceConfiguration {

	@Bean
	Clock clock() {
		return Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
	}

	@Bean
	InMemoryTelemetryStorage inMemoryTelemetryStorage(Clock clock) {
		return new InMemoryTelemetryStorage(clock);
	}

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

}
