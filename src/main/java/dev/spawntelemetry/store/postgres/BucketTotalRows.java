package dev.spawntelemetry.store.postgres;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.TimeCell;

/**
 * The SQL that adds a batch's time cells to {@code bucket_totals}: each bucket's sums
 * over every model and caste, which a trend of every spawn reads as one row per bucket.
 */
final class BucketTotalRows {

	/**
	 * Adds to the totals of every model and caste of a bucket, as
	 * {@link TimeBucketRows#addCells}: the same columns, keyed by the bucket alone.
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
			{counts}""".replace("{counts}", TimeBucketRows.addedCounts("bucket_totals"));

	/**
	 * The totals of every model and caste of each bucket a read covers, as
	 * {@code TimeBucketRows}'s cells.
	 */
	static final String READ = """
			SELECT bucket_start, spawns, completed, failed, blocked, tokens, tools_read, tools_grep, tools_edit,
			    tools_bash, clock_skew, durations_completed::text AS durations_completed,
			    durations_failed::text AS durations_failed, durations_blocked::text AS durations_blocked,
			    zeros_completed, zeros_failed, zeros_blocked
			FROM bucket_totals WHERE bucket = ? AND bucket_start >= ? AND bucket_start < ?
			""";

	private BucketTotalRows() {
	}

	/** {@link #ADD_TOTALS}, its rows selected from {@code from} too. */
	static String addTotals(String from) {
		return ADD_TOTALS.replace("{from}", from);
	}

	/** Binds the arrays of {@link #ADD_TOTALS}: the cells added, summed per bucket. */
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
	}

	/** One bucket, of every model and caste. */
	private record Bucket(BucketSize size, Instant start) {

	}

}
