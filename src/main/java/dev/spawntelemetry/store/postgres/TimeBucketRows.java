package dev.spawntelemetry.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.spawntelemetry.telemetry.BucketQuery;
import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.CasteStatsSum;
import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TimeBucket;
import dev.spawntelemetry.telemetry.TimeCell;
import dev.spawntelemetry.telemetry.ToolUsage;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of the time buckets: what a batch adds to its cells, the buckets a query reads,
 * aggregated by the database, and the buckets the history no longer keeps.
 */
final class TimeBucketRows {

	/**
	 * Adds cells of model × caste from the arrays {@link #bind} names; {@code {from}} is
	 * what else the rows are selected from.
	 */
	private static final String ADD_CELLS = """
			INSERT INTO bucket_stats (bucket, bucket_start, model, caste, spawns, completed, failed, blocked, tokens,
			    tools_read, tools_grep, tools_edit, tools_bash, clock_skew, durations_completed, durations_failed,
			    durations_blocked, zeros_completed, zeros_failed, zeros_blocked)
			SELECT c.bucket, c.bucket_start::timestamptz, c.model, c.caste, c.spawns, c.completed, c.failed, c.blocked,
			    c.tokens, c.tr, c.tg, c.te, c.tb, c.clock_skew,
			    ARRAY(SELECT jsonb_array_elements_text(c.dc::jsonb)::bigint),
			    ARRAY(SELECT jsonb_array_elements_text(c.df::jsonb)::bigint),
			    ARRAY(SELECT jsonb_array_elements_text(c.db::jsonb)::bigint), c.zc, c.zf, c.zb
			FROM {from} unnest(:cell_bucket::text[], :cell_bucket_start::text[], :cell_model::text[],
			    :cell_caste::text[], :cell_spawns::bigint[], :cell_completed::bigint[], :cell_failed::bigint[],
			    :cell_blocked::bigint[], :cell_tokens::bigint[], :cell_tools_read::bigint[],
			    :cell_tools_grep::bigint[], :cell_tools_edit::bigint[], :cell_tools_bash::bigint[],
			    :cell_clock_skew::bigint[], :cell_durations_completed::text[], :cell_durations_failed::text[],
			    :cell_durations_blocked::text[], :cell_zeros_completed::bigint[], :cell_zeros_failed::bigint[],
			    :cell_zeros_blocked::bigint[])
			    AS c(bucket, bucket_start, model, caste, spawns, completed, failed, blocked, tokens, tr, tg, te, tb,
			    clock_skew, dc, df, db, zc, zf, zb)
			ON CONFLICT (bucket, bucket_start, model, caste) DO UPDATE SET
			    spawns = bucket_stats.spawns + EXCLUDED.spawns,
			    completed = bucket_stats.completed + EXCLUDED.completed,
			    failed = bucket_stats.failed + EXCLUDED.failed, blocked = bucket_stats.blocked + EXCLUDED.blocked,
			    tokens = bucket_stats.tokens + EXCLUDED.tokens,
			    tools_read = bucket_stats.tools_read + EXCLUDED.tools_read,
			    tools_grep = bucket_stats.tools_grep + EXCLUDED.tools_grep,
			    tools_edit = bucket_stats.tools_edit + EXCLUDED.tools_edit,
			    tools_bash = bucket_stats.tools_bash + EXCLUDED.tools_bash,
			    clock_skew = bucket_stats.clock_skew + EXCLUDED.clock_skew,
			    durations_completed = telemetry_add_counts(bucket_stats.durations_completed,
			        EXCLUDED.durations_completed),
			    durations_failed = telemetry_add_counts(bucket_stats.durations_failed, EXCLUDED.durations_failed),
			    durations_blocked = telemetry_add_counts(bucket_stats.durations_blocked, EXCLUDED.durations_blocked),
			    zeros_completed = bucket_stats.zeros_completed + EXCLUDED.zeros_completed,
			    zeros_failed = bucket_stats.zeros_failed + EXCLUDED.zeros_failed,
			    zeros_blocked = bucket_stats.zeros_blocked + EXCLUDED.zeros_blocked""";

	/**
	 * Adds to the totals of every model and caste of a bucket, as {@link #ADD_CELLS}: the
	 * same columns, keyed by the bucket alone.
	 */
	private static final String ADD_TOTALS = """
			INSERT INTO bucket_totals (bucket, bucket_start, spawns, completed, failed, blocked, tokens, tools_read,
			    tools_grep, tools_edit, tools_bash, clock_skew, durations_completed, durations_failed,
			    durations_blocked, zeros_completed, zeros_failed, zeros_blocked)
			SELECT t.bucket, t.bucket_start::timestamptz, t.spawns, t.completed, t.failed, t.blocked, t.tokens, t.tr,
			    t.tg, t.te, t.tb, t.clock_skew,
			    ARRAY(SELECT jsonb_array_elements_text(t.dc::jsonb)::bigint),
			    ARRAY(SELECT jsonb_array_elements_text(t.df::jsonb)::bigint),
			    ARRAY(SELECT jsonb_array_elements_text(t.db::jsonb)::bigint), t.zc, t.zf, t.zb
			FROM {from} unnest(:total_bucket::text[], :total_bucket_start::text[], :total_spawns::bigint[],
			    :total_completed::bigint[], :total_failed::bigint[], :total_blocked::bigint[],
			    :total_tokens::bigint[], :total_tools_read::bigint[], :total_tools_grep::bigint[],
			    :total_tools_edit::bigint[], :total_tools_bash::bigint[], :total_clock_skew::bigint[],
			    :total_durations_completed::text[], :total_durations_failed::text[],
			    :total_durations_blocked::text[], :total_zeros_completed::bigint[], :total_zeros_failed::bigint[],
			    :total_zeros_blocked::bigint[])
			    AS t(bucket, bucket_start, spawns, completed, failed, blocked, tokens, tr, tg, te, tb, clock_skew,
			    dc, df, db, zc, zf, zb)
			ON CONFLICT (bucket, bucket_start) DO UPDATE SET
			    spawns = bucket_totals.spawns + EXCLUDED.spawns,
			    completed = bucket_totals.completed + EXCLUDED.completed,
			    failed = bucket_totals.failed + EXCLUDED.failed, blocked = bucket_totals.blocked + EXCLUDED.blocked,
			    tokens = bucket_totals.tokens + EXCLUDED.tokens,
			    tools_read = bucket_totals.tools_read + EXCLUDED.tools_read,
			    tools_grep = bucket_totals.tools_grep + EXCLUDED.tools_grep,
			    tools_edit = bucket_totals.tools_edit + EXCLUDED.tools_edit,
			    tools_bash = bucket_totals.tools_bash + EXCLUDED.tools_bash,
			    clock_skew = bucket_totals.clock_skew + EXCLUDED.clock_skew,
			    durations_completed = telemetry_add_counts(bucket_totals.durations_completed,
			        EXCLUDED.durations_completed),
			    durations_failed = telemetry_add_counts(bucket_totals.durations_failed, EXCLUDED.durations_failed),
			    durations_blocked = telemetry_add_counts(bucket_totals.durations_blocked, EXCLUDED.durations_blocked),
			    zeros_completed = bucket_totals.zeros_completed + EXCLUDED.zeros_completed,
			    zeros_failed = bucket_totals.zeros_failed + EXCLUDED.zeros_failed,
			    zeros_blocked = bucket_totals.zeros_blocked + EXCLUDED.zeros_blocked""";

	/** Adds cells of a source within a model × caste, as {@link #ADD_CELLS}. */
	private static final String ADD_SOURCES = """
			INSERT INTO bucket_sources (bucket, bucket_start, source, model, caste, spawns, completed, failed, blocked,
			    tokens)
			SELECT s.bucket, s.bucket_start::timestamptz, s.source, s.model, s.caste, s.spawns, s.completed, s.failed,
			    s.blocked, s.tokens
			FROM {from} unnest(:source_bucket::text[], :source_bucket_start::text[], :source_source::text[],
			    :source_model::text[], :source_caste::text[], :source_spawns::bigint[], :source_completed::bigint[],
			    :source_failed::bigint[], :source_blocked::bigint[], :source_tokens::bigint[])
			    AS s(bucket, bucket_start, source, model, caste, spawns, completed, failed, blocked, tokens)
			ON CONFLICT (bucket, bucket_start, source, model, caste) DO UPDATE SET
			    spawns = bucket_sources.spawns + EXCLUDED.spawns,
			    completed = bucket_sources.completed + EXCLUDED.completed,
			    failed = bucket_sources.failed + EXCLUDED.failed, blocked = bucket_sources.blocked + EXCLUDED.blocked,
			    tokens = bucket_sources.tokens + EXCLUDED.tokens""";

	/** Adds propensity sums of caste × task class × model, as {@link #ADD_CELLS}. */
	private static final String ADD_PROPENSITIES = """
			INSERT INTO bucket_propensities (bucket, bucket_start, caste, task_class, model, resolved, completed, tokens,
			    always_weights, always_weighted_successes, always_squared_weights, always_squared_weighted_successes,
			    always_weighted_tokens, uniform_weights, uniform_weighted_successes, uniform_squared_weights,
			    uniform_squared_weighted_successes, uniform_weighted_tokens)
			SELECT p.bucket, p.bucket_start::timestamptz, p.caste, p.task_class, p.model, p.resolved, p.completed,
			    p.tokens, p.aw, p.ar, p.a2, p.a2r, p.at, p.uw, p.ur, p.u2, p.u2r, p.ut
			FROM {from} unnest(:propensity_bucket::text[], :propensity_bucket_start::text[],
			    :propensity_caste::text[], :propensity_task_class::text[], :propensity_model::text[],
			    :propensity_resolved::bigint[], :propensity_completed::bigint[], :propensity_tokens::bigint[],
			    :propensity_always_weights::float8[], :propensity_always_weighted_successes::float8[],
			    :propensity_always_squared_weights::float8[], :propensity_always_squared_weighted_successes::float8[],
			    :propensity_always_weighted_tokens::float8[], :propensity_uniform_weights::float8[],
			    :propensity_uniform_weighted_successes::float8[], :propensity_uniform_squared_weights::float8[],
			    :propensity_uniform_squared_weighted_successes::float8[],
			    :propensity_uniform_weighted_tokens::float8[])
			    AS p(bucket, bucket_start, caste, task_class, model, resolved, completed, tokens, aw, ar, a2, a2r, at,
			    uw, ur, u2, u2r, ut)
			ON CONFLICT (bucket, caste, bucket_start, task_class, model) DO UPDATE SET
			    resolved = bucket_propensities.resolved + EXCLUDED.resolved,
			    completed = bucket_propensities.completed + EXCLUDED.completed,
			    tokens = bucket_propensities.tokens + EXCLUDED.tokens,
			    always_weights = bucket_propensities.always_weights + EXCLUDED.always_weights,
			    always_weighted_successes = bucket_propensities.always_weighted_successes
			        + EXCLUDED.always_weighted_successes,
			    always_squared_weights = bucket_propensities.always_squared_weights + EXCLUDED.always_squared_weights,
			    always_squared_weighted_successes = bucket_propensities.always_squared_weighted_successes
			        + EXCLUDED.always_squared_weighted_successes,
			    always_weighted_tokens = bucket_propensities.always_weighted_tokens + EXCLUDED.always_weighted_tokens,
			    uniform_weights = bucket_propensities.uniform_weights + EXCLUDED.uniform_weights,
			    uniform_weighted_successes = bucket_propensities.uniform_weighted_successes
			        + EXCLUDED.uniform_weighted_successes,
			    uniform_squared_weights = bucket_propensities.uniform_squared_weights
			        + EXCLUDED.uniform_squared_weights,
			    uniform_squared_weighted_successes = bucket_propensities.uniform_squared_weighted_successes
			        + EXCLUDED.uniform_squared_weighted_successes,
			    uniform_weighted_tokens = bucket_propensities.uniform_weighted_tokens
			        + EXCLUDED.uniform_weighted_tokens""";

	/** The propensity sums of one caste's buckets, per model and task class. */
	private static final String PROPENSITIES = """
			SELECT model, task_class, sum(resolved) AS resolved, sum(completed) AS completed, sum(tokens) AS tokens,
			    sum(always_weights) AS aw, sum(always_weighted_successes) AS ar, sum(always_squared_weights) AS a2,
			    sum(always_squared_weighted_successes) AS a2r, sum(always_weighted_tokens) AS at,
			    sum(uniform_weights) AS uw, sum(uniform_weighted_successes) AS ur, sum(uniform_squared_weights) AS u2,
			    sum(uniform_squared_weighted_successes) AS u2r, sum(uniform_weighted_tokens) AS ut
			FROM bucket_propensities WHERE bucket = ? AND caste = ? AND bucket_start >= ? AND bucket_start < ?
			GROUP BY model, task_class
			""";

	/**
	 * The cells of model × caste a read covers, one row each, their histograms as text:
	 * summed by the reader, which parses text arrays far faster than the driver's arrays
	 * and the database adds arrays.
	 */
	private static final String CELLS = """
			SELECT bucket_start, model, spawns, completed, failed, blocked, tokens, tools_read, tools_grep,
			    tools_edit, tools_bash, clock_skew, durations_completed::text AS durations_completed,
			    durations_failed::text AS durations_failed, durations_blocked::text AS durations_blocked,
			    zeros_completed, zeros_failed, zeros_blocked
			FROM bucket_stats WHERE bucket = ? AND bucket_start >= ? AND bucket_start < ? :and
			""";

	/**
	 * The totals of every model and caste of each bucket a read covers, as
	 * {@link #CELLS}.
	 */
	private static final String TOTALS = """
			SELECT bucket_start, spawns, completed, failed, blocked, tokens, tools_read, tools_grep, tools_edit,
			    tools_bash, clock_skew, durations_completed::text AS durations_completed,
			    durations_failed::text AS durations_failed, durations_blocked::text AS durations_blocked,
			    zeros_completed, zeros_failed, zeros_blocked
			FROM bucket_totals WHERE bucket = ? AND bucket_start >= ? AND bucket_start < ?
			""";

	private static final String SOURCES_BY_MODEL = """
			SELECT bucket_start, model, sum(spawns) AS spawns, sum(completed) AS completed, sum(failed) AS failed,
			    sum(blocked) AS blocked, sum(tokens) AS tokens
			FROM bucket_sources WHERE bucket = ? AND bucket_start >= ? AND bucket_start < ? :and
			GROUP BY bucket_start, model
			""";

	private static final String SOURCES = """
			SELECT bucket_start, source, sum(spawns) AS spawns
			FROM bucket_sources WHERE bucket = ? AND bucket_start >= ? AND bucket_start < ? :and
			GROUP BY bucket_start, source
			""";

	/**
	 * Every bucket of a spawn, however old: for spawns counted after the fact, whose
	 * buckets beyond {@code telemetry.history} are deleted later as any.
	 */
	private static final HistoryProperties EVERY_BUCKET = new HistoryProperties(Duration.ofDays(36_500),
			Duration.ofDays(36_500));

	private final JdbcTemplate jdbc;

	TimeBucketRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Counts spawns as they now are into the cells of their buckets. */
	static void count(SpawnRecord spawn, Instant now, Map<TimeCell, CasteStats> cells) {
		TimeCell.count(spawn, TimeCell.countOf(spawn), EVERY_BUCKET, now,
				(cell, added) -> cells.merge(cell, added, CasteStats::plus));
	}

	/** {@link #ADD_CELLS}, its rows selected from {@code from} too. */
	static String addCells(String from) {
		return ADD_CELLS.replace("{from}", from);
	}

	/** {@link #ADD_SOURCES}, its rows selected from {@code from} too. */
	static String addSources(String from) {
		return ADD_SOURCES.replace("{from}", from);
	}

	/** {@link #ADD_TOTALS}, its rows selected from {@code from} too. */
	static String addTotals(String from) {
		return ADD_TOTALS.replace("{from}", from);
	}

	/** {@link #ADD_PROPENSITIES}, its rows selected from {@code from} too. */
	static String addPropensities(String from) {
		return ADD_PROPENSITIES.replace("{from}", from);
	}

	/**
	 * Binds the arrays of {@link #ADD_CELLS}, {@link #ADD_SOURCES} and
	 * {@link #ADD_PROPENSITIES} for what was added to some cells.
	 */
	static void bind(ColumnArrays parameters, Map<TimeCell, CasteStats> added) {
		Map<Bucket, CasteStats> totals = new LinkedHashMap<>();
		added.forEach((cell, stats) -> {
			if (cell.source() == null) {
				totals.merge(new Bucket(cell.size(), cell.start()), stats, CasteStats::plus);
			}
		});
		parameters.rows("total", new ArrayList<>(totals.entrySet()))
			.text("bucket", (total) -> total.getKey().size().wireName())
			.text("bucket_start", (total) -> total.getKey().start().toString())
			.counts(Map.Entry::getValue)
			.tools((cell) -> cell.getValue().tools())
			.bigint("clock_skew", (cell) -> cell.getValue().clockSkew())
			.durations(Map.Entry::getValue);
		List<PropensityRow> propensities = new ArrayList<>();
		added.forEach((cell, stats) -> stats.propensitySums()
			.forEach((taskClass, sums) -> propensities.add(new PropensityRow(cell, taskClass, sums))));
		parameters.rows("propensity", propensities)
			.text("bucket", (row) -> row.cell().size().wireName())
			.text("bucket_start", (row) -> row.cell().start().toString())
			.text("caste", (row) -> row.cell().caste())
			.text("task_class", PropensityRow::taskClass)
			.text("model", (row) -> row.cell().model())
			.bigint("resolved", (row) -> row.sums().resolved())
			.bigint("completed", (row) -> row.sums().completed())
			.bigint("tokens", (row) -> row.sums().tokens())
			.weightSums("always", (row) -> row.sums().always())
			.weightSums("uniform", (row) -> row.sums().uniform());
		List<Map.Entry<TimeCell, CasteStats>> cells = new ArrayList<>();
		List<Map.Entry<TimeCell, CasteStats>> sources = new ArrayList<>();
		added.entrySet().forEach((cell) -> ((cell.getKey().source() == null) ? cells : sources).add(cell));
		parameters.rows("cell", cells)
			.text("bucket", (cell) -> cell.getKey().size().wireName())
			.text("bucket_start", (cell) -> cell.getKey().start().toString())
			.text("model", (cell) -> cell.getKey().model())
			.text("caste", (cell) -> cell.getKey().caste())
			.counts(Map.Entry::getValue)
			.tools((cell) -> cell.getValue().tools())
			.bigint("clock_skew", (cell) -> cell.getValue().clockSkew())
			.durations(Map.Entry::getValue);
		parameters.rows("source", sources)
			.text("bucket", (cell) -> cell.getKey().size().wireName())
			.text("bucket_start", (cell) -> cell.getKey().start().toString())
			.text("source", (cell) -> cell.getKey().source())
			.text("model", (cell) -> cell.getKey().model())
			.text("caste", (cell) -> cell.getKey().caste())
			.counts(Map.Entry::getValue);
	}

	/**
	 * The buckets a query selects that hold spawns, aggregated by the database: the rows
	 * that come back are one per bucket and model and one per bucket and source.
	 */
	List<TimeBucket> read(BucketQuery query) {
		List<Object> arguments = new ArrayList<>(
				List.of(query.size().wireName(), timestamp(query.from()), timestamp(query.to())));
		StringBuilder and = new StringBuilder();
		if (query.model() != null) {
			and.append(" AND model = ?");
			arguments.add(query.model());
		}
		if (query.caste() != null) {
			and.append(" AND caste = ?");
			arguments.add(query.caste());
		}
		List<Object> sourceArguments = new ArrayList<>(arguments);
		StringBuilder sourceAnd = new StringBuilder(and);
		if (query.source() != null) {
			sourceAnd.append(" AND source = ?");
			sourceArguments.add(query.source());
		}
		Map<Instant, Map<String, CasteStats>> byModel = new TreeMap<>();
		if (query.source() == null && query.model() == null && query.caste() == null && !query.modelsApart()) {
			this.jdbc.query(TOTALS, (row) -> {
				byModel.put(instant(row), Map.of(TimeBucket.EVERY_MODEL, cell(row)));
			}, arguments.toArray());
		}
		else if (query.source() == null) {
			Map<Instant, Map<String, CasteStatsSum>> sums = new TreeMap<>();
			this.jdbc.query(CELLS.replace(":and", and), (row) -> {
				sums.computeIfAbsent(instant(row), (start) -> new TreeMap<>())
					.computeIfAbsent(row.getString("model"), (model) -> new CasteStatsSum())
					.add(cell(row));
			}, arguments.toArray());
			sums.forEach((start, models) -> {
				Map<String, CasteStats> stats = new TreeMap<>();
				models.forEach((model, sum) -> stats.put(model, sum.toStats()));
				byModel.put(start, stats);
			});
		}
		else {
			this.jdbc.query(SOURCES_BY_MODEL.replace(":and", sourceAnd), (row) -> {
				byModel.computeIfAbsent(instant(row), (start) -> new TreeMap<>())
					.put(row.getString("model"), stats(row));
			}, sourceArguments.toArray());
		}
		Map<Instant, Map<String, Long>> bySource = new LinkedHashMap<>();
		if (query.sources()) {
			this.jdbc.query(SOURCES.replace(":and", sourceAnd), (row) -> {
				bySource.computeIfAbsent(instant(row), (start) -> new TreeMap<>())
					.put(row.getString("source"), row.getLong("spawns"));
			}, sourceArguments.toArray());
		}
		List<TimeBucket> buckets = new ArrayList<>(byModel.size());
		byModel.forEach(
				(start, models) -> buckets.add(new TimeBucket(start, models, bySource.getOrDefault(start, Map.of()))));
		return buckets;
	}

	/**
	 * Per model and task class, the propensity sums of the buckets a query selects of its
	 * caste.
	 */
	Map<String, Map<String, PropensitySums>> readPropensitySums(BucketQuery query) {
		Map<String, Map<String, PropensitySums>> sums = new TreeMap<>();
		this.jdbc.query(PROPENSITIES, (row) -> {
			sums.computeIfAbsent(row.getString("model"), (model) -> new TreeMap<>())
				.put(row.getString("task_class"),
						new PropensitySums(row.getLong("resolved"), row.getLong("completed"), row.getLong("tokens"),
								new PropensitySums.WeightSums(row.getDouble("aw"), row.getDouble("ar"),
										row.getDouble("a2"), row.getDouble("a2r"), row.getDouble("at")),
								new PropensitySums.WeightSums(row.getDouble("uw"), row.getDouble("ur"),
										row.getDouble("u2"), row.getDouble("u2r"), row.getDouble("ut"))));
		}, query.size().wireName(), query.caste(), timestamp(query.from()), timestamp(query.to()));
		return sums;
	}

	/** Deletes the buckets older than the history keeps. */
	int deleteUnkept(HistoryProperties history, Instant now) {
		int deleted = 0;
		for (BucketSize size : BucketSize.values()) {
			Object[] arguments = { size.wireName(), timestamp(history.oldestKept(size, now)) };
			deleted += this.jdbc.update("DELETE FROM bucket_stats WHERE bucket = ? AND bucket_start < ?", arguments);
			deleted += this.jdbc.update("DELETE FROM bucket_sources WHERE bucket = ? AND bucket_start < ?", arguments);
			deleted += this.jdbc.update("DELETE FROM bucket_totals WHERE bucket = ? AND bucket_start < ?", arguments);
			deleted += this.jdbc.update("DELETE FROM bucket_propensities WHERE bucket = ? AND bucket_start < ?",
					arguments);
		}
		return deleted;
	}

	private static CasteStats stats(ResultSet row) throws SQLException {
		return new CasteStats(row.getLong("spawns"), row.getLong("completed"), row.getLong("failed"),
				row.getLong("blocked"), row.getLong("tokens"), ToolUsage.NONE, 0, Map.of());
	}

	/** One row of {@link #CELLS}. */
	private static CasteStats cell(ResultSet row) throws SQLException {
		Map<Outcome, DurationHistogram> durations = new EnumMap<>(Outcome.class);
		for (Outcome outcome : Outcome.values()) {
			long[] counts = counts(row.getString("durations_" + outcome.wireName()));
			if (counts.length > 0) {
				durations.put(outcome, DurationHistogram.of(counts, row.getLong("zeros_" + outcome.wireName())));
			}
		}
		return new CasteStats(row.getLong("spawns"), row.getLong("completed"), row.getLong("failed"),
				row.getLong("blocked"), row.getLong("tokens"), new ToolUsage(row.getLong("tools_read"),
						row.getLong("tools_grep"), row.getLong("tools_edit"), row.getLong("tools_bash")),
				row.getLong("clock_skew"), durations);
	}

	/** A bigint[] as PostgreSQL writes it as text: {@code {1,0,3}}. */
	static long[] counts(String text) {
		if (text.length() <= 2) {
			return new long[0];
		}
		String[] parts = text.substring(1, text.length() - 1).split(",");
		long[] counts = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			counts[i] = Long.parseLong(parts[i]);
		}
		return counts;
	}

	/** One bucket, of every model and caste. */
	private record Bucket(BucketSize size, Instant start) {

	}

	/** The sums of one task class added to one cell. */
	private record PropensityRow(TimeCell cell, String taskClass, PropensitySums sums) {

	}

	private static Instant instant(ResultSet row) throws SQLException {
		return row.getObject("bucket_start", OffsetDateTime.class).toInstant();
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
