package dev.spawntelemetry.store.postgres;

import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.store.RoutingJson;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.SpawnRecord;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes what one batch changed, in one statement of common table expressions: the
 * state's version bumped only if it is still the expected one, a mark of the commit, and
 * the batch's spawns, aggregates and time cells as rows. Callers hold the transaction.
 */
final class BatchRows {

	/** Every change of a batch, applied only if the version is still the expected one. */
	private static final String WRITE = """
			WITH bump AS (
			    UPDATE telemetry_state SET version = :version, last_updated = :last_updated::timestamptz
			    WHERE id = 1 AND version = :expected_version RETURNING version
			), mark AS (
			    INSERT INTO commits (commit_id, version) SELECT :commit_id, version FROM bump
			), spawn_rows AS (
			    INSERT INTO spawns (spawn_id, spawned_at, spawned_nanos, task, caste, model, source, outcome,
			        completed_at, tokens, tools_read, tools_grep, tools_edit, tools_bash, usage_keys, route,
			        served_model, outcome_reason, created_version, version)
			    SELECT s.spawn_id, s.spawned_at::timestamptz, s.nanos, s.task, s.caste, s.model, s.source, s.outcome,
			        s.completed_at::timestamptz, s.tokens, s.tr, s.tg, s.te, s.tb,
			        ARRAY(SELECT jsonb_array_elements_text(s.usage_keys::jsonb)), s.route::jsonb, s.served_model,
			        s.outcome_reason, bump.version, bump.version
			    FROM bump, unnest(:spawn_id::text[], :spawn_spawned_at::text[], :spawn_nanos::integer[],
			        :spawn_task::text[], :spawn_caste::text[], :spawn_model::text[], :spawn_source::text[],
			        :spawn_outcome::text[], :spawn_completed_at::text[], :spawn_tokens::bigint[],
			        :spawn_tools_read::bigint[], :spawn_tools_grep::bigint[], :spawn_tools_edit::bigint[],
			        :spawn_tools_bash::bigint[], :spawn_usage_keys::text[], :spawn_route::text[],
			        :spawn_served_model::text[], :spawn_outcome_reason::text[])
			        WITH ORDINALITY AS s(spawn_id, spawned_at, nanos, task, caste, model, source, outcome,
			        completed_at, tokens, tr, tg, te, tb, usage_keys, route, served_model, outcome_reason, position)
			    ORDER BY s.position
			    ON CONFLICT (spawn_id) DO UPDATE SET outcome = EXCLUDED.outcome,
			        completed_at = EXCLUDED.completed_at, tokens = EXCLUDED.tokens,
			        tools_read = EXCLUDED.tools_read, tools_grep = EXCLUDED.tools_grep,
			        tools_edit = EXCLUDED.tools_edit, tools_bash = EXCLUDED.tools_bash,
			        usage_keys = EXCLUDED.usage_keys, served_model = EXCLUDED.served_model,
			        outcome_reason = EXCLUDED.outcome_reason, version = EXCLUDED.version
			), model_rows AS (
			    INSERT INTO model_stats (model, total_spawns, completed, failed, blocked, version)
			    SELECT m.model, m.total_spawns, m.completed, m.failed, m.blocked, bump.version
			    FROM bump, unnest(:model_name::text[], :model_total_spawns::bigint[], :model_completed::bigint[],
			        :model_failed::bigint[], :model_blocked::bigint[])
			        AS m(model, total_spawns, completed, failed, blocked)
			    ON CONFLICT (model) DO UPDATE SET total_spawns = EXCLUDED.total_spawns,
			        completed = EXCLUDED.completed, failed = EXCLUDED.failed, blocked = EXCLUDED.blocked,
			        version = EXCLUDED.version
			), caste_rows AS (
			    INSERT INTO caste_stats (model, caste, spawns, completed, failed, blocked, tokens, tools_read,
			        tools_grep, tools_edit, tools_bash, clock_skew, durations_completed, durations_failed,
			        durations_blocked, zeros_completed, zeros_failed, zeros_blocked, routing, version)
			    SELECT c.model, c.caste, c.spawns, c.completed, c.failed, c.blocked, c.tokens, c.tr, c.tg, c.te,
			        c.tb, c.clock_skew,
			        ARRAY(SELECT jsonb_array_elements_text(c.dc::jsonb)::bigint),
			        ARRAY(SELECT jsonb_array_elements_text(c.df::jsonb)::bigint),
			        ARRAY(SELECT jsonb_array_elements_text(c.db::jsonb)::bigint), c.zc, c.zf, c.zb, c.routing::jsonb,
			        bump.version
			    FROM bump, unnest(:caste_model::text[], :caste_caste::text[], :caste_spawns::bigint[],
			        :caste_completed::bigint[], :caste_failed::bigint[], :caste_blocked::bigint[],
			        :caste_tokens::bigint[], :caste_tools_read::bigint[], :caste_tools_grep::bigint[],
			        :caste_tools_edit::bigint[], :caste_tools_bash::bigint[], :caste_clock_skew::bigint[],
			        :caste_durations_completed::text[], :caste_durations_failed::text[],
			        :caste_durations_blocked::text[], :caste_zeros_completed::bigint[], :caste_zeros_failed::bigint[],
			        :caste_zeros_blocked::bigint[], :caste_routing::text[])
			        AS c(model, caste, spawns, completed, failed, blocked, tokens, tr, tg, te, tb, clock_skew,
			        dc, df, db, zc, zf, zb, routing)
			    ON CONFLICT (model, caste) DO UPDATE SET spawns = EXCLUDED.spawns,
			        completed = EXCLUDED.completed, failed = EXCLUDED.failed, blocked = EXCLUDED.blocked,
			        tokens = EXCLUDED.tokens, tools_read = EXCLUDED.tools_read, tools_grep = EXCLUDED.tools_grep,
			        tools_edit = EXCLUDED.tools_edit, tools_bash = EXCLUDED.tools_bash,
			        clock_skew = EXCLUDED.clock_skew, durations_completed = EXCLUDED.durations_completed,
			        durations_failed = EXCLUDED.durations_failed, durations_blocked = EXCLUDED.durations_blocked,
			        zeros_completed = EXCLUDED.zeros_completed, zeros_failed = EXCLUDED.zeros_failed,
			        zeros_blocked = EXCLUDED.zeros_blocked, routing = EXCLUDED.routing, version = EXCLUDED.version
			), bucket_rows AS (
			{cells}
			), source_rows AS (
			{sources}
			), total_rows AS (
			{totals}
			), propensity_rows AS (
			{propensities}
			)
			SELECT count(*)::integer FROM bump
			""".replace("{cells}", TimeBucketRows.addCells("bump,"))
		.replace("{sources}", TimeBucketRows.addSources("bump,"))
		.replace("{totals}", BucketTotalRows.addTotals("bump,"))
		.replace("{propensities}", PropensityRows.addPropensities("bump,"));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	BatchRows(JdbcTemplate jdbc) {
		this.jdbc = JdbcClient.create(jdbc);
	}

	/**
	 * Writes what one batch changed as the state of the next version, in one statement
	 * that does nothing unless the committed version is still {@code expectedVersion}:
	 * the state row is locked only inside the database, for as long as the statement
	 * runs, never while this process works. It also writes a mark that tells later
	 * whether it was committed.
	 * @param changes the batch's spawns, changed aggregates (a model's castes are written
	 * only as its changed castes say) and what it adds to each time cell
	 * @return whether it was written: false if another commit came first
	 */
	boolean write(ChangeSet changes, long expectedVersion, @Nullable Instant lastUpdated, UUID commitId) {
		Map<String, ModelStats> models = changes.models();
		ColumnArrays parameters = new ColumnArrays().value("version", expectedVersion + 1, Types.BIGINT)
			.text("last_updated", (lastUpdated != null) ? lastUpdated.toString() : null)
			.value("expected_version", expectedVersion, Types.BIGINT)
			.value("commit_id", commitId, Types.OTHER);
		parameters.rows("spawn", changes.spawns())
			.text("id", SpawnRecord::spawnId)
			.text("spawned_at", (spawn) -> spawn.timestamp().truncatedTo(ChronoUnit.MICROS).toString())
			.integer("nanos", (spawn) -> spawn.timestamp().getNano() % 1000)
			.text("task", SpawnRecord::task)
			.text("caste", SpawnRecord::caste)
			.text("model", SpawnRecord::selectedModel)
			.text("source", SpawnRecord::source)
			.text("outcome", (spawn) -> (spawn.outcome() != null) ? spawn.outcome().wireName() : null)
			.text("completed_at", (spawn) -> (spawn.completedAt() != null) ? spawn.completedAt().toString() : null)
			.bigint("tokens", SpawnRecord::tokens)
			.tools(SpawnRecord::tools)
			.text("usage_keys", (spawn) -> json(spawn.usageKeys()))
			.text("route", (spawn) -> (spawn.route() != null) ? RoutingJson.write(spawn.route()) : null)
			.text("served_model", SpawnRecord::servedModel)
			.text("outcome_reason", SpawnRecord::outcomeReason);
		parameters.rows("model", models.keySet().stream().sorted().toList())
			.text("name", (model) -> model)
			.bigint("total_spawns", (model) -> models.get(model).totalSpawns())
			.bigint("completed", (model) -> models.get(model).completed())
			.bigint("failed", (model) -> models.get(model).failed())
			.bigint("blocked", (model) -> models.get(model).blocked());
		parameters.rows("caste", new ArrayList<>(changes.castes().entrySet()))
			.text("model", (row) -> row.getKey().model())
			.text("caste", (row) -> row.getKey().caste())
			.counts(Map.Entry::getValue)
			.tools((row) -> row.getValue().tools())
			.bigint("clock_skew", (row) -> row.getValue().clockSkew())
			.durations(Map.Entry::getValue)
			.text("routing", (row) -> RoutingJson.write(row.getValue().routing()));
		TimeBucketRows.bind(parameters, changes.addedInTime());
		return this.jdbc.sql(WRITE).paramSource(parameters.parameters()).query(Integer.class).single() == 1;
	}

	private static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

}
