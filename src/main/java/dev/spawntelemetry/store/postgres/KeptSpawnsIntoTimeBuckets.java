package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TimeCell;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Migration 4: the spawns a database keeps when it gains time buckets (V3) are counted
 * into their buckets, as the writes that made them would have counted them. Spawns
 * deleted before, beyond {@code telemetry.storage.retention}, count in the lifetime
 * aggregates only. Buckets beyond {@code telemetry.history} are deleted later, as any.
 * Its memory grows with the cells counted, not with the spawns read.
 */
final class KeptSpawnsIntoTimeBuckets implements JavaMigration {

	private static final Log logger = LogFactory.getLog(KeptSpawnsIntoTimeBuckets.class);

	/**
	 * Every bucket of a spawn, however old: for spawns counted after the fact, whose
	 * buckets beyond {@code telemetry.history} are deleted later as any.
	 */
	private static final HistoryProperties EVERY_BUCKET = new HistoryProperties(Duration.ofDays(36_500),
			Duration.ofDays(36_500));

	private final Clock clock;

	KeptSpawnsIntoTimeBuckets(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Counts spawns as they now are into the cells of their buckets, after the fact: here
	 * and when a file is imported.
	 */
	static void count(SpawnRecord spawn, Instant now, Map<TimeCell, CasteStats> cells) {
		TimeCell.count(spawn, TimeCell.countOf(spawn), EVERY_BUCKET, now,
				(cell, added) -> cells.merge(cell, added, CasteStats::plus));
	}

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("4");
	}

	@Override
	public String getDescription() {
		return "kept spawns into time buckets";
	}

	@Override
	public Integer getChecksum() {
		return 4;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) throws SQLException {
		Connection connection = context.getConnection();
		Map<TimeCell, CasteStats> cells = new HashMap<>();
		long spawns = 0;
		try (PreparedStatement select = connection.prepareStatement("SELECT " + StateRows.COUNTED_SPAWN_COLUMNS
				+ " FROM spawns s WHERE EXISTS (SELECT 1 FROM caste_stats c "
				+ "WHERE c.model = s.model AND c.caste = s.caste)")) {
			// streams the rows (the migration's transaction keeps the cursor open)
			select.setFetchSize(10_000);
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					SpawnRecord spawn = StateRows.countedSpawn(rows, 0);
					count(spawn, this.clock.instant(), cells);
					spawns++;
				}
			}
		}
		String sql = "WITH cells AS (" + TimeBucketRows.addCells("") + " RETURNING 1), sources AS ("
				+ TimeBucketRows.addSources("") + " RETURNING 1) SELECT (SELECT count(*) FROM cells)";
		ColumnArrays parameters = new ColumnArrays();
		TimeBucketRows.bind(parameters, cells);
		JdbcClient.create(new SingleConnectionDataSource(connection, true))
			.sql(sql)
			.paramSource(parameters.parameters())
			.query(Long.class)
			.single();
		logger.info("Counted " + spawns + " kept spawns into " + cells.size() + " time cells");
	}

}
