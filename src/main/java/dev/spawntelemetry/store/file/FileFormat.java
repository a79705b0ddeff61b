package dev.spawntelemetry.store.file;

import java.io.OutputStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.store.RoutingJson;
import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.TimeCell;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.ToolUsage;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * The {@code telemetry.json} format, compatible with the ancestor's file: a file it wrote
 * loads as it is, and fields it did not know ({@code spawn_id}, {@code outcome},
 * {@code completed_at}) are optional. Unknown fields are ignored.
 * <p>
 * Writing is used by one thread at a time: each decision is serialized once and its bytes
 * reused by every later write while it stays in the log, so a persist costs little more
 * than copying the file's bytes.
 */
final class FileFormat {

	static final int MAJOR = 1;

	/**
	 * 1.1: a journal beside the file may hold later batches ({@code journal_seq}); 1.2:
	 * time buckets ({@code time_buckets}); 1.3: a routed decision's {@code route}, a
	 * caste's {@code routing} evidence; 1.4: the data directory's {@code store_id} in the
	 * file and every journal batch, routing evidence kept on the caste's {@code clock}
	 * and per task class ({@code classes}), a route's {@code task_class}; 1.5: a
	 * decision's {@code served_model} and {@code outcome_reason}; 1.6: a time cell's
	 * {@code propensity_sums}.
	 */
	static final int MINOR = 6;

	static final String VERSION = MAJOR + "." + MINOR;

	/** Keyed by identity: a changed decision is a new record and is serialized anew. */
	private Map<SpawnRecord, SerializableString> serializedDecisions = new IdentityHashMap<>();

	/** The caller owns the stream: it still has to fsync the file after writing. */
	private final JsonMapper mapper = JsonMapper.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

	private final FileFormatReader reader = new FileFormatReader();

	/**
	 * Writes a checkpoint: the whole state, holding every batch of the journal up to
	 * {@code journalSeq} (0: none), of the data directory {@code storeId} names.
	 */
	void write(TelemetrySnapshot snapshot, long journalSeq, TimeBuckets buckets, @Nullable String storeId,
			OutputStream out) {
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeStringProperty("version", VERSION);
			json.writeStringProperty("last_updated", instantOrNull(snapshot.lastUpdated()));
			if (storeId != null) {
				json.writeStringProperty("store_id", storeId);
			}
			if (journalSeq > 0) {
				json.writeNumberProperty("journal_seq", journalSeq);
			}
			json.writeObjectPropertyStart("models");
			for (Map.Entry<String, ModelStats> model : snapshot.models().entrySet()) {
				writeModel(json, model.getKey(), model.getValue());
			}
			json.writeEndObject();
			json.writeArrayPropertyStart("routing_decisions");
			Map<SpawnRecord, SerializableString> serialized = new IdentityHashMap<>(snapshot.decisions().size() * 2);
			for (SpawnRecord decision : snapshot.decisions()) {
				SerializableString bytes = this.serializedDecisions.get(decision);
				if (bytes == null) {
					bytes = serialize(decision);
				}
				serialized.put(decision, bytes);
				json.writeRawValue(bytes);
			}
			json.writeEndArray();
			List<Map.Entry<TimeCell, CasteStats>> cells = new ArrayList<>(buckets.cells());
			buckets.forEach((cell, stats) -> cells.add(Map.entry(cell, stats)));
			writeTimeCells(json, "time_buckets", cells);
			json.writeEndObject();
			this.serializedDecisions = serialized;
		}
	}

	private SerializableString serialize(SpawnRecord decision) {
		StringWriter out = new StringWriter(384);
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			writeDecision(json, decision);
		}
		return new SerializedString(out.toString());
	}

	private void writeModel(JsonGenerator json, String name, ModelStats model) {
		json.writeObjectPropertyStart(name);
		json.writeNumberProperty("total_spawns", model.totalSpawns());
		json.writeNumberProperty("successful_completions", model.completed());
		json.writeNumberProperty("failed_completions", model.failed());
		json.writeNumberProperty("blocked", model.blocked());
		json.writeObjectPropertyStart("by_caste");
		for (Map.Entry<String, CasteStats> caste : model.byCaste().entrySet()) {
			json.writeObjectPropertyStart(caste.getKey());
			writeCasteStats(json, caste.getValue());
			json.writeEndObject();
		}
		json.writeEndObject();
		json.writeEndObject();
	}

	private static void writeCasteStats(JsonGenerator json, CasteStats stats) {
		writeCasteStats(json, stats, false);
	}

	/**
	 * The fields of a caste's counters, within an object the caller opened; compact
	 * leaves out the tools, clock skew and durations where there are none.
	 */
	private static void writeCasteStats(JsonGenerator json, CasteStats stats, boolean compact) {
		json.writeNumberProperty("spawns", stats.spawns());
		json.writeNumberProperty("success", stats.completed());
		json.writeNumberProperty("failures", stats.failed());
		json.writeNumberProperty("blocked", stats.blocked());
		json.writeNumberProperty("tokens", stats.tokens());
		if (!stats.routing().equals(RouteEvidence.NONE)) {
			json.writeName("routing");
			json.writeRawValue(RoutingJson.write(stats.routing()));
		}
		if (!stats.propensitySums().isEmpty()) {
			json.writeName("propensity_sums");
			json.writeRawValue(RoutingJson.write(stats.propensitySums()));
		}
		if (compact && stats.tools().equals(ToolUsage.NONE) && stats.clockSkew() == 0 && stats.durations().isEmpty()) {
			return;
		}
		writeTools(json, stats.tools());
		json.writeNumberProperty("clock_skew", stats.clockSkew());
		json.writeObjectPropertyStart("durations");
		for (Map.Entry<Outcome, DurationHistogram> durations : stats.durations().entrySet()) {
			json.writeName(durations.getKey().wireName());
			long[] counts = durations.getValue().counts();
			json.writeArray(counts, 0, counts.length);
		}
		json.writeEndObject();
		if (stats.durations().values().stream().anyMatch((histogram) -> histogram.zeros() > 0)) {
			// a part of bucket 0 of "durations": a reader that knows no zeros still reads
			// the histograms right
			json.writeObjectPropertyStart("zero_durations");
			for (Map.Entry<Outcome, DurationHistogram> durations : stats.durations().entrySet()) {
				if (durations.getValue().zeros() > 0) {
					json.writeNumberProperty(durations.getKey().wireName(), durations.getValue().zeros());
				}
			}
			json.writeEndObject();
		}
	}

	/** Every cell of the time buckets, per bucket size, each with its bucket's start. */
	private static void writeTimeCells(JsonGenerator json, String name,
			Iterable<Map.Entry<TimeCell, CasteStats>> cells) {
		json.writeObjectPropertyStart(name);
		Map<BucketSize, List<Map.Entry<TimeCell, CasteStats>>> bySize = new EnumMap<>(BucketSize.class);
		for (Map.Entry<TimeCell, CasteStats> cell : cells) {
			bySize.computeIfAbsent(cell.getKey().size(), (size) -> new ArrayList<>()).add(cell);
		}
		for (Map.Entry<BucketSize, List<Map.Entry<TimeCell, CasteStats>>> size : bySize.entrySet()) {
			json.writeArrayPropertyStart(size.getKey().wireName());
			for (Map.Entry<TimeCell, CasteStats> cell : size.getValue()) {
				json.writeStartObject();
				json.writeStringProperty("start", cell.getKey().start().toString());
				json.writeStringProperty("model", cell.getKey().model());
				json.writeStringProperty("caste", cell.getKey().caste());
				if (cell.getKey().source() != null) {
					json.writeStringProperty("source", cell.getKey().source());
				}
				writeCasteStats(json, cell.getValue(), true);
				json.writeEndObject();
			}
			json.writeEndArray();
		}
		json.writeEndObject();
	}

	private void writeDecision(JsonGenerator json, SpawnRecord decision) {
		json.writeStartObject();
		json.writeStringProperty("timestamp", decision.timestamp().toString());
		json.writeStringProperty("task", decision.task());
		json.writeStringProperty("caste", decision.caste());
		json.writeStringProperty("selected_model", decision.selectedModel());
		json.writeStringProperty("source", decision.source());
		json.writeStringProperty("spawn_id", decision.spawnId());
		json.writeStringProperty("outcome", (decision.outcome() != null) ? decision.outcome().wireName() : null);
		json.writeStringProperty("completed_at", instantOrNull(decision.completedAt()));
		json.writeNumberProperty("tokens", decision.tokens());
		writeTools(json, decision.tools());
		if (decision.route() != null) {
			json.writeName("route");
			json.writeRawValue(RoutingJson.write(decision.route()));
		}
		if (decision.servedModel() != null) {
			json.writeStringProperty("served_model", decision.servedModel());
		}
		if (decision.outcomeReason() != null) {
			json.writeStringProperty("outcome_reason", decision.outcomeReason());
		}
		if (!decision.usageKeys().isEmpty()) {
			json.writeArrayPropertyStart("usage_keys");
			for (String key : decision.usageKeys()) {
				json.writeString(key);
			}
			json.writeEndArray();
		}
		json.writeEndObject();
	}

	private static void writeTools(JsonGenerator json, ToolUsage tools) {
		json.writeObjectPropertyStart("tools");
		json.writeNumberProperty("read", tools.read());
		json.writeNumberProperty("grep", tools.grep());
		json.writeNumberProperty("edit", tools.edit());
		json.writeNumberProperty("bash", tools.bash());
		json.writeEndObject();
	}

	/**
	 * One batch for the journal: its sequence number, when it happened, every spawn it
	 * changed as it now is (those it created named in {@code created}), and for every
	 * model it changed the model's totals with the castes it changed.
	 */
	byte[] writeBatch(long seq, String storeId, @Nullable Instant lastUpdated, ChangeSet changes,
			Map<TimeCell, CasteStats> cells) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeNumberProperty("seq", seq);
			json.writeStringProperty("store_id", storeId);
			json.writeStringProperty("last_updated", instantOrNull(lastUpdated));
			json.writeObjectPropertyStart("models");
			for (Map.Entry<String, ModelStats> model : withChangedCastesOnly(changes).entrySet()) {
				writeModel(json, model.getKey(), model.getValue());
			}
			json.writeEndObject();
			json.writeArrayPropertyStart("spawns");
			for (SpawnRecord spawn : changes.spawns()) {
				writeDecision(json, spawn);
			}
			json.writeEndArray();
			json.writeArrayPropertyStart("created");
			for (String spawnId : changes.created()) {
				json.writeString(spawnId);
			}
			json.writeEndArray();
			writeTimeCells(json, "time_cells", cells.entrySet());
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	/**
	 * Each changed model's totals with only its changed castes, as the journal keeps
	 * them.
	 */
	private static Map<String, ModelStats> withChangedCastesOnly(ChangeSet changes) {
		Map<String, Map<String, CasteStats>> castes = new LinkedHashMap<>();
		changes.castes()
			.forEach((key, stats) -> castes.computeIfAbsent(key.model(), (model) -> new TreeMap<>())
				.put(key.caste(), stats));
		Map<String, ModelStats> models = new LinkedHashMap<>();
		castes.forEach((name, changed) -> {
			ModelStats model = changes.models().get(name);
			models.put(name,
					new ModelStats(model.totalSpawns(), model.completed(), model.failed(), model.blocked(), changed));
		});
		return models;
	}

	/**
	 * A checkpoint: the state, the last batch of the journal it holds (0: none), and the
	 * data directory's id (null in a file written before directories had one).
	 *
	 * @param propensitySumsCounted whether its time buckets hold the routed spawns'
	 * propensity sums: false in a file written before they were kept
	 */
	record Checkpoint(TelemetrySnapshot snapshot, long journalSeq, @Nullable TimeBuckets buckets,
			@Nullable String storeId, boolean propensitySumsCounted) {

		Checkpoint(TelemetrySnapshot snapshot, long journalSeq) {
			this(snapshot, journalSeq, TimeBuckets.EMPTY, null, true);
		}

	}

	/** One spawn as a line of {@code telemetry.retained}. */
	byte[] writeSpawn(SpawnRecord spawn) {
		return serialize(spawn).asUnquotedUTF8();
	}

	/**
	 * One batch read back from the journal: what it changed (its time cells as their new
	 * values, and no spawns that left the log: replaying the batch decides those again).
	 */
	record JournalBatch(long seq, @Nullable String storeId, @Nullable Instant lastUpdated, ChangeSet changes,
			Map<TimeCell, CasteStats> timeCells) {

	}

	private static @Nullable String instantOrNull(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	/**
	 * Reads a file's content.
	 * @throws FileFormatReader.CorruptFileException naming what is wrong, if the content
	 * is not JSON or not telemetry data
	 */
	TelemetrySnapshot read(byte[] content) {
		return this.reader.read(content);
	}

	/**
	 * Reads a file's content and the last batch of the journal it holds; see
	 * {@link FileFormatReader}.
	 */
	Checkpoint readCheckpoint(byte[] content) {
		return this.reader.readCheckpoint(content);
	}

	/** Reads one line of the journal; see {@link FileFormatReader}. */
	JournalBatch readBatch(byte[] content) {
		return this.reader.readBatch(content);
	}

	/** Reads one retained spawn; see {@link FileFormatReader}. */
	SpawnRecord readSpawn(byte[] content) {
		return this.reader.readSpawn(content);
	}

}
