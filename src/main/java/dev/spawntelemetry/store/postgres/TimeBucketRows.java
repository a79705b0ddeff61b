package dev.spawntelemetry.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
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
	 * What an insert into {@code bucket_stats} or {@code bucket_totals} adds to the row
	 * already there; {@code {table}} is the table.
	 */
	private static final String ADDED_COUNTS = """
			spawns = {table}.spawns + EXCLUDED.spawns,
			completed = {table}.completed + EXCLUDED.completed,
			failed = {table}.failed + EXCLUDED.failed, blocked = {table}.blocked + EXCLUDED.blocked,
			tokens = {table}.tokens + EXCLUDED.tokens,
			tools_read = {table}.tools_read + EXCLUDED.tools_read,
			tools_grep = {table}.tools_grep + EXCLUDED.tools_grep,
			tools_edit = {table}.tools_edit + EXCLUDED.tools_edit,
			tools_bash = {table}.tools_bash + EXCLUDED.tools_bash,
			clock_skew = {table}.clock_skew + EXCLUDED.clock_skew,
			durations_completed = telemetry_add_counts({table}.durations_completed,
			    EXCLUDED.durations_completed),
			durations_failed = telemetry_add_counts({table}.durations_failed, EXCLUDED.durations_failed),
			durations_blocked = telemetry_add_counts({table}.durations_blocked, EXCLUDED.durations_blocked),
			zeros_completed = {table}.zeros_completed + EXCLUDED.zeros_completed,
			zeros_failed = {table}.zeros_failed + EXCLUDED.zeros_failed,
			zeros_blocked = {table}.zeros_blocked + EXCLUDED.zeros_blocked""";

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
			{counts}""".replace("{counts}", addedCounts("bucket_stats"));

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

	private final JdbcTemplate jdbc;

	TimeBucketRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** {@link #ADDED_COUNTS} for a table. */
	static String addedCounts(String table) {
		return ADDED_COUNTS.replace("{table}", table).strip();
	}

	/** {@link #ADD_CELLS}, its rows selected from {@code from} too. */
	static String addCells(String from) {
		return ADD_CELLS.replace("{from}", from);
	}

	/** {@link #ADD_SOURCES}, its rows selected from {@code from} too. */
	static String addSources(String from) {
		return ADD_SOURCES.replace("{from}", from);
	}

	/**
	 * Binds the arrays of {@link #ADD_CELLS}, {@link #ADD_SOURCES}, and the totals' and
	 * propensity sums', for what was added to some cells.
	 */
	static void bind(ColumnArrays parameters, Map<TimeCell, CasteStats> added) {
		BucketTotalRows.bind(parameters, added);
		PropensityRows.bind(parameters, added);
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
			this.jdbc.query(BucketTotalRows.READ, (row) -> {
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
	 * Per model and task class, the propensity sums of its caste's buckets a query
	 * selects.
	 */
	Map<String, Map<String, PropensitySums>> readPropensitySums(BucketQuery query) {
		return PropensityRows.read(this.jdbc, query.size().wireName(), query.caste(), timestamp(query.from()),
				timestamp(query.to()));
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

	private static Instant instant(ResultSet row) throws SQLException {
		return row.getObject("bucket_start", OffsetDateTime.class).toInstant();
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
