package dev.spawntelemetry.store.postgres;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the PostgreSQL backend keeps spawns and follows the other replicas. The connection
 * itself is Spring Boot's {@code spring.datasource.*}.
 *
 * @param retention how long spawns are kept after their timestamp, beyond the newest
 * {@code max-decisions} (which are always kept): retries and outcomes for them are
 * recognized, and {@code days} windows within it are exact
 * @param refreshInterval how often a replica looks for writes other replicas committed
 * @param retentionInterval how often expired spawns are deleted
 */
@ConfigurationProperties("telemetry.storage")
record PostgresStorageProperties(@DefaultValue("30d") Duration retention,
		@DefaultValue("250ms") Duration refreshInterval, @DefaultValue("5m") Duration retentionInterval) {

}
