package dev.spawntelemetry.store.postgres;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.RoutingJson;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.ToolUsage;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The SQL of the PostgreSQL backend that reads: the telemetry state as rows, read whole
 * or as the changes since a version, the lock and the marks of commits and imports, and
 * the retention's deletes; {@link BatchRows} writes a batch. Callers hold the
 * transaction.
 */
final class StateRows {

	/** The columns of a spawn up to V4, which the migrations of V4 read. */
	static final String COUNTED_SPAWN_COLUMNS = "spawn_id, spawned_at, spawned_nanos, task, caste, model, source, "
			+ "outcome, completed_at, tokens, tools_read, tools_grep, tools_edit, tools_bash, usage_keys";

	static final String SPAWN_COLUMNS = COUNTED_SPAWN_COLUMNS + ", route, served_model, outcome_reason";

	private static final String CASTE_COLUMNS = "model, caste, spawns, completed, failed, blocked, tokens, tools_read, "
			+ "tools_grep, tools_edit, tools_bash, clock_skew, durations_completed, durations_failed, durations_blocked, "
			+ "zeros_completed, zeros_failed, zeros_blocked, routing";

	private static final String MODEL_COLUMNS = "model, total_spawns, completed, failed, blocked";

	private static final RowMapper<SpawnRecord> SPAWN = StateRows::spawn;

	private final JdbcTemplate jdbc;

	StateRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The version of the committed state. */
	long version() {
		return this.jdbc.queryForObject("SELECT version FROM telemetry_state WHERE id = 1", Long.class);
	}

	/**
	 * Locks the state for this transaction's writes, waiting for any other writer's
	 * transaction to end, and answers its version. Every write transaction calls this
	 * first.
	 */
	long lockState() {
		return this.jdbc.queryForObject("SELECT version FROM telemetry_state WHERE id = 1 FOR UPDATE", Long.class);
	}

	/** The whole state: every aggregate and the newest {@code maxDecisions} spawns. */
	TelemetrySnapshot load(int maxDecisions) {
		Map<String, Object> state = this.jdbc
			.queryForMap("SELECT version, last_updated FROM telemetry_state WHERE id = 1");
		Map<String, ModelStats> models = models(
				this.jdbc.query("SELECT " + MODEL_COLUMNS + " FROM model_stats", StateRows::modelRow),
				this.jdbc.query("SELECT " + CASTE_COLUMNS + " FROM caste_stats", StateRows::casteRow), Map.of());
		List<SpawnRecord> newestFirst = this.jdbc
			.query("SELECT " + SPAWN_COLUMNS + " FROM spawns ORDER BY seq DESC LIMIT ?", SPAWN, maxDecisions);
		List<SpawnRecord> decisions = new ArrayList<>(newestFirst);
		Collections.reverse(decisions);
		return new TelemetrySnapshot((Long) state.get("version"), instant(state.get("last_updated")), models,
				decisions);
	}

	/**
	 * The given state brought up to the committed one by reading only what changed since
	 * its version.
	 */
	TelemetrySnapshot catchUp(TelemetrySnapshot base, int maxDecisions) {
		Map<String, Object> state = this.jdbc
			.queryForMap("SELECT version, last_updated FROM telemetry_state WHERE id = 1");
		long version = (Long) state.get("version");
		if (version == base.version()) {
			return base;
		}
		Map<String, ModelStats> models = models(
				this.jdbc.query("SELECT " + MODEL_COLUMNS + " FROM model_stats WHERE version > ?", StateRows::modelRow,
						base.version()),
				this.jdbc.query("SELECT " + CASTE_COLUMNS + " FROM caste_stats WHERE version > ?", StateRows::casteRow,
						base.version()),
				base.models());
		// at most the log's spawns changed and the newest max-decisions created, however
		// many others committed since: what the log does not keep is never read
		Map<String, SpawnRecord> decisions = new LinkedHashMap<>();
		base.decisions().forEach((decision) -> decisions.put(decision.spawnId(), decision));
		this.jdbc.query("SELECT " + SPAWN_COLUMNS + " FROM spawns WHERE version > ? AND created_version <= ? "
				+ "AND spawn_id = ANY (?)", (row) -> {
					SpawnRecord spawn = spawn(row, 0);
					decisions.put(spawn.spawnId(), spawn);
				}, base.version(), base.version(),
				base.decisions().stream().map(SpawnRecord::spawnId).toArray(String[]::new));
		List<SpawnRecord> created = new ArrayList<>(
				this.jdbc.query("SELECT " + SPAWN_COLUMNS + " FROM spawns WHERE version > ? AND created_version > ? "
						+ "ORDER BY seq DESC LIMIT ?", SPAWN, base.version(), base.version(), maxDecisions));
		Collections.reverse(created);
		created.forEach((spawn) -> decisions.put(spawn.spawnId(), spawn));
		List<SpawnRecord> log = new ArrayList<>(decisions.values());
		return new TelemetrySnapshot(version, instant(state.get("last_updated")), models,
				log.subList(Math.max(0, log.size() - maxDecisions), log.size()));
	}

	/** A spawn by its id, in the log or not; {@code null} if none is kept. */
	@Nullable SpawnRecord findSpawn(String spawnId) {
		List<SpawnRecord> found = this.jdbc.query("SELECT " + SPAWN_COLUMNS + " FROM spawns WHERE spawn_id = ?", SPAWN,
				spawnId);
		return found.isEmpty() ? null : found.get(0);
	}

	/** Whether the transaction that wrote this mark committed. */
	boolean committed(UUID commitId) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM commits WHERE commit_id = ?)",
				Boolean.class, commitId));
	}

	/** Which of these spawn ids are stored. */
	Set<String> existingSpawnIds(List<String> spawnIds) {
		return new HashSet<>(this.jdbc.queryForList("SELECT spawn_id FROM spawns WHERE spawn_id = ANY (?)",
				String.class, (Object) spawnIds.toArray(String[]::new)));
	}

	/** Whether a file of this SHA-256 was imported. */
	boolean imported(String sha256) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM imports WHERE sha256 = ?)",
				Boolean.class, sha256));
	}

	void recordImport(String sha256, String file) {
		this.jdbc.update("INSERT INTO imports (sha256, file) VALUES (?, ?)", sha256, file);
	}

	/**
	 * Deletes up to {@code limit} spawns stamped before a moment that are not among the
	 * newest {@code maxDecisions}; the caller holds the state's lock.
	 * @return how many were deleted
	 */
	int deleteSpawnsBefore(Instant before, int maxDecisions, int limit) {
		return this.jdbc.update("DELETE FROM spawns WHERE spawn_id IN (SELECT spawn_id FROM spawns "
				+ "WHERE spawned_at < ? AND seq < (SELECT coalesce(min(seq), 0) FROM (SELECT seq FROM spawns "
				+ "ORDER BY seq DESC LIMIT ?) AS newest) LIMIT ?)", timestamp(before), maxDecisions, limit);
	}

	/** Forgets the marks of commits older than a moment. */
	void deleteCommitsBefore(Instant before) {
		this.jdbc.update("DELETE FROM commits WHERE committed_at < ?", timestamp(before));
	}

	private static Map<String, ModelStats> models(List<ModelRow> modelRows, List<CasteRow> casteRows,
			Map<String, ModelStats> base) {
		Map<String, ModelStats> models = new HashMap<>(base);
		Map<String, Map<String, CasteStats>> castes = new HashMap<>();
		for (CasteRow row : casteRows) {
			castes.computeIfAbsent(row.model(), (model) -> new TreeMap<>()).put(row.caste(), row.stats());
		}
		for (ModelRow row : modelRows) {
			ModelStats previous = models.getOrDefault(row.model(), ModelStats.NONE);
			Map<String, CasteStats> byCaste = new TreeMap<>(previous.byCaste());
			byCaste.putAll(castes.getOrDefault(row.model(), Map.of()));
			models.put(row.model(),
					new ModelStats(row.totalSpawns(), row.completed(), row.failed(), row.blocked(), byCaste));
		}
		return models;
	}

	static SpawnRecord spawn(ResultSet row, int rowNumber) throws SQLException {
		String route = row.getString("route");
		SpawnRecord spawn = countedSpawn(row, rowNumber);
		return new SpawnRecord(spawn.spawnId(), spawn.timestamp(), spawn.task(), spawn.caste(), spawn.selectedModel(),
				spawn.source(), spawn.outcome(), spawn.completedAt(), spawn.tokens(), spawn.tools(),
				(route != null) ? RoutingJson.route(route) : null, row.getString("served_model"),
				row.getString("outcome_reason"), spawn.usageKeys());
	}

	/** A spawn of {@link #COUNTED_SPAWN_COLUMNS}, without its route. */
	static SpawnRecord countedSpawn(ResultSet row, int rowNumber) throws SQLException {
		String outcome = row.getString("outcome");
		Array keys = row.getArray("usage_keys");
		return new SpawnRecord(row.getString("spawn_id"),
				instant(row.getObject("spawned_at", OffsetDateTime.class)).plusNanos(row.getInt("spawned_nanos")),
				row.getString("task"), row.getString("caste"), row.getString("model"), row.getString("source"),
				(outcome != null) ? Outcome.fromWireName(outcome).orElseThrow() : null,
				instant(row.getObject("completed_at", OffsetDateTime.class)), row.getLong("tokens"), tools(row),
				List.of((String[]) keys.getArray()));
	}

	private static ModelRow modelRow(ResultSet row, int rowNumber) throws SQLException {
		return new ModelRow(row.getString("model"), row.getLong("total_spawns"), row.getLong("completed"),
				row.getLong("failed"), row.getLong("blocked"));
	}

	private static CasteRow casteRow(ResultSet row, int rowNumber) throws SQLException {
		CasteStats counts = casteStats(row);
		String routing = row.getString("routing");
		return new CasteRow(row.getString("model"), row.getString("caste"),
				counts.withRouting((routing != null) ? RoutingJson.evidence(routing)
						: RouteEvidence.ofCounts(counts.completed(), counts.failed() + counts.blocked())));
	}

	/**
	 * The counters of a row with the columns of {@code caste_stats}: also those of a time
	 * bucket's.
	 */
	static CasteStats casteStats(ResultSet row) throws SQLException {
		Map<Outcome, DurationHistogram> durations = new EnumMap<>(Outcome.class);
		for (Outcome outcome : Outcome.values()) {
			Long[] counts = (Long[]) row.getArray("durations_" + outcome.wireName()).getArray();
			DurationHistogram histogram = DurationHistogram.of(
					Arrays.stream(counts).mapToLong(Long::longValue).toArray(),
					row.getLong("zeros_" + outcome.wireName()));
			if (histogram.total() > 0) {
				durations.put(outcome, histogram);
			}
		}
		return new CasteStats(row.getLong("spawns"), row.getLong("completed"), row.getLong("failed"),
				row.getLong("blocked"), row.getLong("tokens"), tools(row), row.getLong("clock_skew"), durations);
	}

	private static ToolUsage tools(ResultSet row) throws SQLException {
		return new ToolUsage(row.getLong("tools_read"), row.getLong("tools_grep"), row.getLong("tools_edit"),
				row.getLong("tools_bash"));
	}

	private static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
		return (instant != null) ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : null;
	}

	private static @Nullable Instant instant(@Nullable Object timestamp) {
		if (timestamp instanceof OffsetDateTime offset) {
			return offset.toInstant();
		}
		if (timestamp instanceof Timestamp sql) {
			return sql.toInstant();
		}
		return null;
	}

	private record ModelRow(String model, long totalSpawns, long completed, long failed, long blocked) {

	}

	private record CasteRow(String model, String caste, CasteStats stats) {

	}

}
