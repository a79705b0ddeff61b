/**
 * The domain: spawns, their outcomes and usage, the lifetime aggregates, the read model,
 * and the one port every storage backend implements ({@link TelemetryStorage}).
 * Controllers, views, metrics and health know this package only; none knows which backend
 * runs.
 */
@NullMarked
package dev.spawntelemetry.telemetry;

import org.jspecify.annotations.NullMarked;
