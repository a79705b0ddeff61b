package dev.spawntelemetry.telemetry;

import java.util.Map;

/**
 * Whether a backend can make writes durable now, with details for operators (where the
 * data lives, what went wrong, what was set aside).
 */
public record StorageHealth(boolean up, Map<String, Object> details) {

}
