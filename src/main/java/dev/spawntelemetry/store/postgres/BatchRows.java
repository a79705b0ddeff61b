package dev.spawntelemetry.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.store.ChangeSet.CasteKey;
import dev.spawntelemetry.store.RoutingJson;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TimeCell;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes what one batch changed, in one statement of common table expressions: the
 * state's version bumped only if it is still the expected one, a mark of the commit, and
 * the batch's spawns, aggregates and time cells as rows. Callers hold the transaction.
 */
final class BatchRows {

	/** Every change of a batch, applied only if the version is still the expected one. */
	private static final String WRITE = """
			WITH bump AS (
			    UPDATE telemetry_state SET version = ?, last_updated = ?::timestamptz
			    WHERE id = 1 AND version = ? RETURNING version
			), mark AS (
			    INSERT INTO commits (commit_id, version) SELECT ?, version FROM bump
			), spawn_rows AS (
			    INSERT INTO spawns (spawn_id, spawned_at, spawned_nanos, task, caste, model, source, outcome,
			        completed_at, tokens, tools_read, tools_grep, tools_edit, tools_bash, usage_keys, route,
			        created_version, version)
			    SELECT s.spawn_id, s.spawned_at::timestamptz, s.nanos, s.task, s.caste, s.model, s.source, s.outcome,
			        s.completed_at::timestamptz, s.tokens, s.tr, s.tg, s.te, s.tb,
			        ARRAY(SELECT jsonb_array_elements_text(s.usage_keys::jsonb)), s.route::jsonb, bump.version,
			        bump.version
			    FROM bump, unnest(?::text[], ?::text[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::text[],
			        ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[],
			        ?::text[])
			        WITH ORDINALITY AS s(spawn_id, spawned_at, nanos, task, caste, model, source, outcome,
			        completed_at, tokens, tr, tg, te, tb, usage_keys, route, position)
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
			        durations_blocked, zeros_completed, zeros_failed, zeros_blocked, routing, version)
			    SELECT c.model, c.caste, c.spawns, c.completed, c.failed, c.blocked, c.tokens, c.tr, c.tg, c.te,
			        c.tb, c.clock_skew,
			        ARRAY(SELECT jsonb_array_elements_text(c.dc::jsonb)::bigint),
			        ARRAY(SELECT jsonb_array_elements_text(c.df::jsonb)::bigint),
			        ARRAY(SELECT jsonb_array_elements_text(c.db::jsonb)::bigint), c.zc, c.zf, c.zb, c.routing::jsonb,
			        bump.version
			    FROM bump, unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
			        ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[],
			        ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
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
			:cells
			), source_rows AS (
			:sources
			)
			SELECT count(*)::integer FROM bump
			""".replace(":cells", TimeBucketRows.ADD_CELLS.replace(":from", "bump,"))
		.replace(":sources", TimeBucketRows.ADD_SOURCES.replace(":from", "bump,"));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcTemplate jdbc;

	BatchRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
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
	 * @param addedInTime what the batch adds to each time cell
	 * @return whether it was written: false if another commit came first
	 */
	boolean write(ChangeSet changes, long expectedVersion, @Nullable Instant lastUpdated, UUID commitId) {
		Map<String, ModelStats> models = changes.models();
		Map<TimeCell, CasteStats> addedInTime = changes.addedInTime();
		List<SpawnRecord> spawnRows = changes.spawns();
		List<String> modelRows = models.keySet().stream().sorted().toList();
		List<Map.Entry<CasteKey, CasteStats>> casteRows = new ArrayList<>(changes.castes().entrySet());
		Integer written = this.jdbc.execute((ConnectionCallback<Integer>) (connection) -> {
			PreparedStatement statement = connection.prepareStatement(WRITE);
			SqlParameters parameters = new SqlParameters(connection, statement);
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
			parameters.texts(spawnRows, (spawn) -> (spawn.route() != null) ? RoutingJson.write(spawn.route()) : null);
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
			parameters.texts(casteRows, (row) -> RoutingJson.write(row.getValue().routing()));
			TimeBucketRows.bind(parameters, addedInTime);
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

	private static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

}
