package dev.spawntelemetry.store.file;

import java.io.OutputStream;
import java.nio.file.Path;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.store.RoutingJson;
import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.TimeCell;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * The {@code telemetry.json} format, compatible with the ancestor's file: a file it wrote
 * loads as it is, and fields it did not know ({@code spawn_id}, {@code outcome},
 * {@code completed_at}) are optional. Unknown fields are ignored. This class is its
 * version, its writer and its two refusals; {@link FileFormatReader} reads it back, and
 * {@link FormatFields} writes and reads the fields both share.
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
			FormatFields.writeCasteStats(json, caste.getValue());
			json.writeEndObject();
		}
		json.writeEndObject();
		json.writeEndObject();
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
				FormatFields.writeCasteStats(json, cell.getValue(), true);
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
		FormatFields.writeTools(json, decision.tools());
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
			for (Map.Entry<String, ModelStats> model : changes.modelsWithChangedCastesOnly().entrySet()) {
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

	/** One spawn as a line of {@code telemetry.retained}. */
	byte[] writeSpawn(SpawnRecord spawn) {
		return serialize(spawn).asUnquotedUTF8();
	}

	private static @Nullable String instantOrNull(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	/**
	 * A telemetry file's content cannot be read as telemetry data.
	 */
	static final class CorruptFileException extends RuntimeException {

		CorruptFileException(String message) {
			super(message);
		}

		CorruptFileException(String message, Throwable cause) {
			super(message, cause);
		}

	}

	/**
	 * The telemetry file was written by a newer version of the service than this build.
	 * It may hold fields this build does not know and would drop at its next rewrite, so
	 * the service does not start on it and leaves it as it is.
	 */
	static final class TooNewException extends RuntimeException {

		private final @Nullable Path file;

		private final String fileVersion;

		TooNewException(String fileVersion) {
			this(null, fileVersion);
		}

		private TooNewException(@Nullable Path file, String fileVersion) {
			super("Telemetry file " + ((file != null) ? file + " " : "") + "has format version " + fileVersion
					+ "; this build understands up to " + FileFormat.VERSION);
			this.file = file;
			this.fileVersion = fileVersion;
		}

		/** The same refusal, naming the file it came from. */
		TooNewException in(Path file) {
			return new TooNewException(file, this.fileVersion);
		}

		@Nullable Path file() {
			return this.file;
		}

		String fileVersion() {
			return this.fileVersion;
		}

	}

}
