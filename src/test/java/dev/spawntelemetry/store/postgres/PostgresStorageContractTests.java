package dev.spawntelemetry.store.postgres;

import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.telemetry.TelemetryStorageContract;

/**
 * The port's contract, against a real PostgreSQL database of its own for each test.
 */
class PostgresStorageContractTests extends TelemetryStorageContract {

	private final PostgresReplicas replicas = new PostgresReplicas(this.clock);

	@Override
	protected TelemetryStorage start(int maxDecisions, Limits limits) {
		return this.replicas.start(maxDecisions, limits);
	}

	@Override
	protected AutoCloseable refuseWrites() {
		return this.replicas.database().unreachable();
	}

	@Override
	protected void stop() {
		this.replicas.close();
	}

}
