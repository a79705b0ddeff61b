package dev.spawntelemetry.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.store.TelemetryState.CasteKey;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.SpawnWindow;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.ToolUsage;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The SQL of the PostgreSQL backend: the telemetry state as rows, read whole, read as the
 * changes since a version, and written as the changes of one batch. Callers hold the
 * transaction.
 */
final class TelemetryRows {

	private static final String SPAWN_COLUMNS = "spawn_id, spawned_at, spawned_nanos, task, caste, model, source, "
			+ "outcome, completed_at, tokens, tools_read, tools_grep, tools_edit, tools_bash, usage_keys";

	private static final String CASTE_COLUMNS = "model, caste, spawns, completed, failed, blocked, tokens, tools_read, "
			+ "tools_grep, tools_edit, tools_bash, clock_skew, durations_completed, durations_failed, durations_blocked, "
			+ "zeros_completed, zeros_failed, zeros_blocked";

	private static final String MODEL_COLUMNS = "model, total_spawns, completed, failed, blocked";

	private static final RowMapper<SpawnRecord> SPAWN = TelemetryRows::spawn;

	/** Every change of a batch, applied only if the version is still the expected one. */
	private static final String WRITE = """
			WITH bump AS (
			    UPDATE telemetry_state SET version = ?, last_updated = ?::timestamptz
			    WHERE id = 1 AND version = ? RETURNING version
			), mark AS (
			    INSERT INTO commits (commit_id, version) SELECT ?, version FROM bump
			), spawn_rows AS (
			    INSERT INTO spawns (spawn_id, spawned_at, spawned_nanos, task, caste, model, source, outcome,
			        completed_at, tokens, tools_read, tools_grep, tools_edit, tools_bash, usage_keys,
			        created_version, version)
			    SELECT s.spawn_id, s.spawned_at::timestamptz, s.nanos, s.task, s.caste, s.model, s.source, s.outcome,
			        s.completed_at::timestamptz, s.tokens, s.tr, s.tg, s.te, s.tb,
			        ARRAY(SELECT jsonb_array_elements_text(s.usage_keys::jsonb)), bump.version, bump.version
			    FROM bump, unnest(?::text[], ?::text[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::text[],
			        ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
			        WITH ORDINALITY AS s(spawn_id, spawned_at, nanos, task, caste, model, source, outcome,
			        completed_at, tokens, tr, tg, te, tb, usage_keys, position)
			    ORDER BY s.position
			    ON CONFLICT (spawn_id) DO UPDATE SET outcome = EXCLUDED.outcome,
			        completed_at = EXCLUDED.completed_at, tokens = EXCLUDED.tokens,
			        tools_read = EXCLUDED.tools_read, tools_grep = EXCLUDED.tools_grep,
			        tools_edit = EXCLUDED.tools_edit, tools_bash = EXCLUDED.tools_bash,
			        usage_keys = EXCLUDED.usage_keys, version = EXCLUDED.version
			), model_rows AS (
			    INSERT INTO model_stats (model, total_spawns, completed, failed, blocked, version)
			    SELECT m.model, m.total_spawns, m.completed, m.failed, m.blocked, bump.version
			    FROM bump, unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
			        AS m(model, total_spawns, completed, failed, blocked)
			    ON CONFLICT (model) DO UPDATE SET total_spawns = EXCLUDED.total_spawns,
			        completed = EXCLUDED.completed, failed = EXCLUDED.failed, blocked = EXCLUDED.blocked,
			        version = EXCLUDED.version
			), caste_rows AS (
			    INSERT INTO caste_stats (model, caste, spawns, completed, failed, blocked, tokens, tools_read,
			        tools_grep, tools_edit, tools_bash, clock_skew, durations_completed, durations_failed,
			        durations_blocked, zeros_completed, zeros_failed, zeros_blocked, version)
			    SELECT c.model, c.caste, c.spawns, c.completed, c.failed, c.blocked, c.tokens, c.tr, c.tg, c.te,
			        c.tb, c.clock_skew,
			        ARRAY(SELECT jsonb_array_elements_text(c.dc::jsonb)::bigint),
			        ARRAY(SELECT jsonb_array_elements_text(c.df::jsonb)::bigint),
			        ARRAY(SELECT jsonb_array_elements_text(c.db::jsonb)::bigint), c.zc, c.zf, c.zb, bump.version
			    FROM bump, unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
			        ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[],
			        ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])
			        AS c(model, caste, spawns, completed, failed, blocked, tokens, tr, tg, te, tb, clock_skew,
			        dc, df, db, zc, zf, zb)
			    ON CONFLICT (model, caste) DO UPDATE SET spawns = EXCLUDED.spawns,
			        completed = EXCLUDED.completed, failed = EXCLUDED.failed, blocked = EXCLUDED.blocked,
			        tokens = EXCLUDED.tokens, tools_read = EXCLUDED.tools_read, tools_grep = EXCLUDED.tools_grep,
			        tools_edit = EXCLUDED.tools_edit, tools_bash = EXCLUDED.tools_bash,
			        clock_skew = EXCLUDED.clock_skew, durations_completed = EXCLUDED.durations_completed,
			        durations_failed = EXCLUDED.durations_failed, durations_blocked = EXCLUDED.durations_blocked,
			        zeros_completed = EXCLUDED.zeros_completed, zeros_failed = EXCLUDED.zeros_failed,
			        zeros_blocked = EXCLUDED.zeros_blocked, version = EXCLUDED.version
			)
			SELECT count(*)::integer FROM bump
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Spawns stamped at or after a moment, to the nanosecond: the microseconds in
	 * {@code spawned_at}, the nanoseconds below them in {@code spawned_nanos}.
	 */
	private static final String WINDOW_WHERE = " WHERE spawned_at >= ? AND (spawned_at > ? OR spawned_nanos >= ?)";

	/**
	 * The aggregates of a window in one pass, grouped three ways; a spawn's duration is
	 * counted as {@link CasteStats#withOutcome} counts it: in whole milliseconds from its
	 * timestamp to its outcome, a negative one as zero and as clock skew.
	 */
	private static final String WINDOW = """
			WITH window_spawns AS (
			    SELECT model, source, outcome, tokens, tools_read, tools_grep, tools_edit, tools_bash,
			        CASE WHEN outcome IS NOT NULL AND completed_at IS NOT NULL
			            THEN (extract(epoch FROM completed_at - spawned_at) * 1000000)::bigint * 1000 - spawned_nanos
			        END AS took_nanos
			    FROM spawns :where
			)
			SELECT GROUPING(model, source, outcome, bucket) AS grouping, model, source, outcome, bucket,
			    count(*) AS spawns, coalesce(sum(tokens), 0) AS tokens, coalesce(sum(tools_read), 0) AS tools_read,
			    coalesce(sum(tools_grep), 0) AS tools_grep, coalesce(sum(tools_edit), 0) AS tools_edit,
			    coalesce(sum(tools_bash), 0) AS tools_bash, count(*) FILTER (WHERE took_nanos < 0) AS clock_skew,
			    count(*) FILTER (WHERE took_nanos < 1000000) AS zeros
			FROM (SELECT *, width_bucket(greatest(took_nanos, 0) / 1000000, ?::bigint[]) AS bucket
			    FROM window_spawns) AS spawns_with_buckets
			GROUP BY GROUPING SETS ((model), (source), (model, outcome, bucket))
			""";

	/** GROUPING(model, source, outcome, bucket) of the rows per model. */
	private static final int BY_MODEL = 0b0111;

	/** GROUPING(model, source, outcome, bucket) of the rows per source. */
	private static final int BY_SOURCE = 0b1011;

	/**
	 * For {@code width_bucket}, which counts the floors at or below a value: a bucket's
	 * floor is one millisecond above the bound of the bucket below it.
	 */
	private static final Long[] DURATION_BUCKET_FLOORS = Arrays.stream(DurationHistogram.upperBoundsMillis())
		.map((bound) -> bound + 1)
		.boxed()
		.toArray(Long[]::new);

	private final JdbcTemplate jdbc;

	TelemetryRows(JdbcTemplate jdbc) {
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
				this.jdbc.query("SELECT " + MODEL_COLUMNS + " FROM model_stats", TelemetryRows::modelRow),
				this.jdbc.query("SELECT " + CASTE_COLUMNS + " FROM caste_stats", TelemetryRows::casteRow), Map.of());
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
				this.jdbc.query("SELECT " + MODEL_COLUMNS + " FROM model_stats WHERE version > ?",
						TelemetryRows::modelRow, base.version()),
				this.jdbc.query("SELECT " + CASTE_COLUMNS + " FROM caste_stats WHERE version > ?",
						TelemetryRows::casteRow, base.version()),
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

	/**
	 * Writes what one batch changed as the state of the next version, in one statement
	 * that does nothing unless the committed version is still {@code expectedVersion}:
	 * the state row is locked only inside the database, for as long as the statement
	 * runs, never while this process works. It also writes a mark that tells later
	 * whether it committed.
	 * @param castes the changed aggregates of castes
	 * @param models the changed aggregates of models (their castes are written only as
	 * given in {@code castes})
	 * @return whether it was written: false if another commit came first
	 */
	boolean write(Collection<SpawnRecord> spawns, Map<CasteKey, CasteStats> castes, Map<String, ModelStats> models,
			long expectedVersion, @Nullable Instant lastUpdated, UUID commitId) {
		List<SpawnRecord> spawnRows = List.copyOf(spawns);
		List<String> modelRows = models.keySet().stream().sorted().toList();
		List<Map.Entry<CasteKey, CasteStats>> casteRows = new ArrayList<>(castes.entrySet());
		Integer written = this.jdbc.execute((ConnectionCallback<Integer>) (connection) -> {
			PreparedStatement statement = connection.prepareStatement(WRITE);
			Parameters parameters = new Parameters(connection, statement);
			parameters.add(expectedVersion + 1);
			parameters.add((lastUpdated != null) ? lastUpdated.toString() : null);
			parameters.add(expectedVersion);
			parameters.add(commitId);
			parameters.texts(spawnRows, SpawnRecord::spawnId);
			parameters.texts(spawnRows, (spawn) -> spawn.timestamp().truncatedTo(ChronoUnit.MICROS).toString());
			parameters.array("integer",
					spawnRows.stream().map((spawn) -> spawn.timestamp().getNano() % 1000).toArray());
			parameters.texts(spawnRows, SpawnRecord::task);
			parameters.texts(spawnRows, SpawnRecord::caste);
			parameters.texts(spawnRows, SpawnRecord::selectedModel);
			parameters.texts(spawnRows, SpawnRecord::source);
			parameters.texts(spawnRows, (spawn) -> (spawn.outcome() != null) ? spawn.outcome().wireName() : null);
			parameters.texts(spawnRows,
					(spawn) -> (spawn.completedAt() != null) ? spawn.completedAt().toString() : null);
			parameters.longs(spawnRows, SpawnRecord::tokens);
			parameters.tools(spawnRows, SpawnRecord::tools);
			parameters.texts(spawnRows, (spawn) -> json(spawn.usageKeys()));
			parameters.texts(modelRows, (model) -> model);
			parameters.longs(modelRows, (model) -> models.get(model).totalSpawns());
			parameters.longs(modelRows, (model) -> models.get(model).completed());
			parameters.longs(modelRows, (model) -> models.get(model).failed());
			parameters.longs(modelRows, (model) -> models.get(model).blocked());
			parameters.texts(casteRows, (row) -> row.getKey().model());
			parameters.texts(casteRows, (row) -> row.getKey().caste());
			parameters.longs(casteRows, (row) -> row.getValue().spawns());
			parameters.longs(casteRows, (row) -> row.getValue().completed());
			parameters.longs(casteRows, (row) -> row.getValue().failed());
			parameters.longs(casteRows, (row) -> row.getValue().blocked());
			parameters.longs(casteRows, (row) -> row.getValue().tokens());
			parameters.tools(casteRows, (row) -> row.getValue().tools());
			parameters.longs(casteRows, (row) -> row.getValue().clockSkew());
			for (Outcome outcome : Outcome.values()) {
				parameters.texts(casteRows, (row) -> json(row.getValue().durations(outcome).counts()));
			}
			for (Outcome outcome : Outcome.values()) {
				parameters.longs(casteRows, (row) -> row.getValue().durations(outcome).zeros());
			}
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
			finally {
				statement.close();
			}
		});
		return written != null && written == 1;
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
	 * What the spawns stamped since a moment did, optionally of one caste, aggregated by
	 * the database in one pass over them: the rows that come back are one per model, one
	 * per source and one per model, outcome and duration bucket, whatever the number of
	 * spawns.
	 */
	SpawnWindow window(Instant since, @Nullable String caste) {
		Instant micros = since.truncatedTo(ChronoUnit.MICROS);
		List<Object> arguments = new ArrayList<>(List.of(timestamp(micros), timestamp(micros), since.getNano() % 1000));
		if (caste != null) {
			arguments.add(caste);
		}
		List<Object> withFloors = new ArrayList<>(arguments);
		withFloors.add(DURATION_BUCKET_FLOORS);
		String where = WINDOW_WHERE + ((caste != null) ? " AND caste = ?" : "");
		Map<String, CasteStats> byModel = new TreeMap<>();
		Map<String, Map<Outcome, long[]>> histograms = new HashMap<>();
		Map<String, Map<Outcome, Long>> zeros = new HashMap<>();
		Map<String, Long> bySource = new TreeMap<>();
		this.jdbc.query(WINDOW.replace(":where", where), (row) -> {
			String model = row.getString("model");
			switch (row.getInt("grouping")) {
				case BY_MODEL -> byModel.put(model,
						new CasteStats(row.getLong("spawns"), 0, 0, 0, row.getLong("tokens"),
								new ToolUsage(row.getLong("tools_read"), row.getLong("tools_grep"),
										row.getLong("tools_edit"), row.getLong("tools_bash")),
								row.getLong("clock_skew"), Map.of()));
				case BY_SOURCE -> bySource.put(row.getString("source"), row.getLong("spawns"));
				default -> {
					String outcome = row.getString("outcome");
					if (outcome != null && !row.wasNull()) {
						int bucket = row.getInt("bucket");
						if (!row.wasNull()) {
							histograms.computeIfAbsent(model, (key) -> new EnumMap<>(Outcome.class))
								.computeIfAbsent(Outcome.fromWireName(outcome).orElseThrow(),
										(key) -> new long[DurationHistogram.BUCKETS])[bucket] += row.getLong("spawns");
							zeros.computeIfAbsent(model, (key) -> new EnumMap<>(Outcome.class))
								.merge(Outcome.fromWireName(outcome).orElseThrow(), row.getLong("zeros"), Long::sum);
						}
					}
				}
			}
		}, withFloors.toArray());
		histograms.forEach((model, perOutcome) -> {
			CasteStats counts = byModel.get(model);
			Map<Outcome, DurationHistogram> durations = new EnumMap<>(Outcome.class);
			perOutcome.forEach((outcome, buckets) -> durations.put(outcome,
					DurationHistogram.of(buckets, zeros.get(model).getOrDefault(outcome, 0L))));
			long completed = durations.getOrDefault(Outcome.COMPLETED, DurationHistogram.EMPTY).total();
			long failed = durations.getOrDefault(Outcome.FAILED, DurationHistogram.EMPTY).total();
			long blocked = durations.getOrDefault(Outcome.BLOCKED, DurationHistogram.EMPTY).total();
			byModel.put(model, new CasteStats(counts.spawns(), completed, failed, blocked, counts.tokens(),
					counts.tools(), counts.clockSkew(), durations));
		});
		return new SpawnWindow(byModel, bySource, firstStamped(where, "ASC", arguments),
				firstStamped(where, "DESC", arguments), firstStamped("", "ASC", List.of()));
	}

	/** The timestamp of the first spawn in an order, among those a condition selects. */
	private @Nullable Instant firstStamped(String where, String order, List<Object> arguments) {
		List<Instant> found = this.jdbc.query(
				"SELECT spawned_at, spawned_nanos FROM spawns" + where + " ORDER BY spawned_at " + order
						+ ", spawned_nanos " + order + " LIMIT 1",
				(row, number) -> instant(row.getObject("spawned_at", OffsetDateTime.class))
					.plusNanos(row.getInt("spawned_nanos")),
				arguments.toArray());
		return found.isEmpty() ? null : found.get(0);
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

	private static SpawnRecord spawn(ResultSet row, int rowNumber) throws SQLException {
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
		return new CasteRow(row.getString("model"), row.getString("caste"),
				new CasteStats(row.getLong("spawns"), row.getLong("completed"), row.getLong("failed"),
						row.getLong("blocked"), row.getLong("tokens"), tools(row), row.getLong("clock_skew"),
						durations));
	}

	private static ToolUsage tools(ResultSet row) throws SQLException {
		return new ToolUsage(row.getLong("tools_read"), row.getLong("tools_grep"), row.getLong("tools_edit"),
				row.getLong("tools_bash"));
	}

	private static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

	/**
	 * The parameters of {@link #WRITE} in order: a column of rows is one array.
	 */
	private static final class Parameters {

		private final Connection connection;

		private final PreparedStatement statement;

		private int index = 1;

		Parameters(Connection connection, PreparedStatement statement) {
			this.connection = connection;
			this.statement = statement;
		}

		void add(@Nullable Object value) throws SQLException {
			this.statement.setObject(this.index++, value);
		}

		void array(String type, Object[] values) throws SQLException {
			this.statement.setArray(this.index++, this.connection.createArrayOf(type, values));
		}

		<T> void texts(List<T> rows, Function<T, @Nullable String> column) throws SQLException {
			array("text", rows.stream().map(column).toArray());
		}

		<T> void longs(List<T> rows, ToLongFunction<T> column) throws SQLException {
			array("bigint", rows.stream().map((row) -> column.applyAsLong(row)).toArray());
		}

		<T> void tools(List<T> rows, Function<T, ToolUsage> column) throws SQLException {
			longs(rows, (row) -> column.apply(row).read());
			longs(rows, (row) -> column.apply(row).grep());
			longs(rows, (row) -> column.apply(row).edit());
			longs(rows, (row) -> column.apply(row).bash());
		}

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
