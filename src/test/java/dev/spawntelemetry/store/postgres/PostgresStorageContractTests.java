package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.telemetry.TelemetryStorageContract;

import static org.awaitility.Awaitility.await;

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

	/**
	 * Locks the state's row from another connection, as the commit does first: the writer
	 * waits for it (within its lock timeout, 15 s) with the write it took.
	 */
	@Override
	protected CommitHold holdNextCommit() {
		try {
			Connection outside = this.replicas.database().connect();
			outside.setAutoCommit(false);
			try (Statement statement = outside.createStatement()) {
				statement.execute("SELECT * FROM telemetry_state WHERE id = 1 FOR UPDATE");
			}
			return new CommitHold() {

				@Override
				public void awaitHeld() {
					await("a commit waiting for the lock").atMost(Duration.ofSeconds(30))
						.pollInterval(Duration.ofMillis(5))
						.until(() -> waitingForALock(outside));
				}

				@Override
				public void close() throws SQLException {
					outside.rollback();
					outside.close();
				}

			};
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean waitingForALock(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet waiting = statement.executeQuery(
						"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
			waiting.next();
			return waiting.getLong(1) > 0;
		}
	}

	@Override
	protected void stop() {
		this.replicas.close();
	}

}
