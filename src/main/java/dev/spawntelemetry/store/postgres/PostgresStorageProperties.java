package dev.spawntelemetry.store.postgres;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the PostgreSQL backend keeps spawns, follows the other replicas and bounds its
 * transactions. The connection itself is Spring Boot's {@code spring.datasource.*}.
 *
 * @param retention how long spawns are kept after their timestamp, beyond the newest
 * {@code max-decisions} (which are always kept): retries and outcomes for them are
 * recognized, and {@code days} windows within it are exact
 * @param refreshInterval how often a replica looks for writes other replicas committed
 * @param retentionInterval how often expired spawns are deleted
 * @param lockTimeout how long any transaction of the service waits for a lock (one held
 * by a migration, a {@code VACUUM FULL}, an operator's session) before the database rolls
 * it back
 * @param statementTimeout how long a statement of a write or of a read of the state may
 * run before the database cancels it and rolls its transaction back
 * @param readTimeout how long the query of a window read ({@code days=N}) may run
 */
@ConfigurationProperties("telemetry.storage")
record PostgresStorageProperties(@DefaultValue("30d") Duration retention,
		@DefaultValue("250ms") Duration refreshInterval, @DefaultValue("5m") Duration retentionInterval,
		@DefaultValue("2s") Duration lockTimeout, @DefaultValue("5s") Duration statementTimeout,
		@DefaultValue("20s") Duration readTimeout) {

}
