package dev.spawntelemetry.store.postgres;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.TimeCell;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of {@code bucket_propensities}: what a batch adds to the propensity sums of
 * each caste × task class × model of its buckets, and the sums an evaluation reads.
 */
final class PropensityRows {

	/**
	 * Adds propensity sums of caste × task class × model, as
	 * {@link TimeBucketRows#addCells}.
	 */
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

	private PropensityRows() {
	}

	/** {@link #ADD_PROPENSITIES}, its rows selected from {@code from} too. */
	static String addPropensities(String from) {
		return ADD_PROPENSITIES.replace("{from}", from);
	}

	/** Binds the arrays of {@link #ADD_PROPENSITIES} for the sums added to some cells. */
	static void bind(ColumnArrays parameters, Map<TimeCell, CasteStats> added) {
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
	}

	/**
	 * Per model and task class, the sums of one caste's buckets of a size within an
	 * interval.
	 */
	static Map<String, Map<String, PropensitySums>> read(JdbcTemplate jdbc, String bucket, String caste,
			OffsetDateTime from, OffsetDateTime to) {
		Map<String, Map<String, PropensitySums>> sums = new TreeMap<>();
		jdbc.query(PROPENSITIES, (row) -> {
			sums.computeIfAbsent(row.getString("model"), (model) -> new TreeMap<>())
				.put(row.getString("task_class"),
						new PropensitySums(row.getLong("resolved"), row.getLong("completed"), row.getLong("tokens"),
								new PropensitySums.WeightSums(row.getDouble("aw"), row.getDouble("ar"),
										row.getDouble("a2"), row.getDouble("a2r"), row.getDouble("at")),
								new PropensitySums.WeightSums(row.getDouble("uw"), row.getDouble("ur"),
										row.getDouble("u2"), row.getDouble("u2r"), row.getDouble("ut"))));
		}, bucket, caste, from, to);
		return sums;
	}

	/** The sums of one task class added to one cell. */
	private record PropensityRow(TimeCell cell, String taskClass, PropensitySums sums) {

	}

}
