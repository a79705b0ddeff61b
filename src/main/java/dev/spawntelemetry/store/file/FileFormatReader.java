package dev.spawntelemetry.store.file;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.TimeCell;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * The validating reader of the {@code telemetry.json} format, its journal lines and its
 * retained spawns: a file the ancestor wrote loads as it is; anything that is not
 * telemetry is refused with the path of what is wrong, never read half.
 */
final class FileFormatReader {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private static final Pattern VERSION_PATTERN = Pattern.compile("(\\d{1,6})(?:\\.(\\d{1,6}))?");

	/**
	 * Reads a file's content.
	 * @throws FileFormat.CorruptFileException naming what is wrong, if the content is not
	 * JSON or not telemetry data
	 */
	TelemetrySnapshot read(byte[] content) {
		return readCheckpoint(content).snapshot();
	}

	/**
	 * Reads a file's content and the last batch of the journal it holds.
	 * @throws FileFormat.CorruptFileException naming what is wrong, if the content is not
	 * JSON or not telemetry data
	 */
	Checkpoint readCheckpoint(byte[] content) {
		JsonNode root = tree(content);
		if (root == null || !root.isObject()) {
			throw new FileFormat.CorruptFileException("the top level is not a JSON object");
		}
		int minor = requireKnownVersion(root.get("version"));
		JsonNode models = root.get("models");
		if (models == null || !models.isObject()) {
			throw new FileFormat.CorruptFileException("'models' is missing or not an object");
		}
		JsonNode decisions = root.get("routing_decisions");
		if (decisions == null || !decisions.isArray()) {
			throw new FileFormat.CorruptFileException("'routing_decisions' is missing or not an array");
		}
		Map<String, ModelStats> modelStats = readModels("models", models);
		List<SpawnRecord> log = new ArrayList<>(decisions.size());
		for (int i = 0; i < decisions.size(); i++) {
			log.add(readDecision("routing_decisions[" + i + "]", i, decisions.get(i)));
		}
		Map<TimeCell, CasteStats> cells = timeCells("time_buckets", root.get("time_buckets"));
		return new Checkpoint(
				new TelemetrySnapshot(0, FormatFields.optionalInstant("last_updated", root.get("last_updated")),
						modelStats, log),
				FormatFields.count("", root, "journal_seq"), (cells != null) ? TimeBuckets.EMPTY.with(cells) : null,
				FormatFields.text("", root, "store_id", null), minor >= 6);
	}

	private Map<String, ModelStats> readModels(String path, JsonNode models) {
		Map<String, ModelStats> read = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> model : models.properties()) {
			read.put(model.getKey(), readModel(path + "." + model.getKey(), model.getValue()));
		}
		return read;
	}

	private JsonNode tree(byte[] content) {
		try {
			return this.mapper.readTree(content);
		}
		catch (JacksonException ex) {
			throw new FileFormat.CorruptFileException("not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Reads one batch of the journal.
	 * @throws FileFormat.CorruptFileException if it is not such a batch
	 */
	JournalBatch readBatch(byte[] content) {
		JsonNode root = tree(content);
		if (root == null || !root.isObject()) {
			throw new FileFormat.CorruptFileException("a journal line is not a JSON object");
		}
		JsonNode models = root.get("models");
		JsonNode spawns = root.get("spawns");
		JsonNode created = root.get("created");
		if (models == null || !models.isObject() || spawns == null || !spawns.isArray() || created == null
				|| !created.isArray()) {
			throw new FileFormat.CorruptFileException("a journal line lacks models, spawns or created");
		}
		Map<String, ModelStats> modelStats = readModels("journal.models", models);
		List<SpawnRecord> changed = new ArrayList<>(spawns.size());
		for (int i = 0; i < spawns.size(); i++) {
			JsonNode spawn = spawns.get(i);
			if (spawn == null || !spawn.isObject()
					|| FormatFields.text("journal.spawns", spawn, "spawn_id", null) == null) {
				throw new FileFormat.CorruptFileException("journal.spawns[" + i + "] has no spawn_id");
			}
			changed.add(readDecision("journal.spawns[" + i + "]", i, spawn));
		}
		java.util.Set<String> createdIds = new java.util.LinkedHashSet<>();
		for (JsonNode id : created) {
			if (!id.isString()) {
				throw new FileFormat.CorruptFileException("journal.created holds something other than spawn ids");
			}
			createdIds.add(id.stringValue());
		}
		Map<TimeCell, CasteStats> cells = timeCells("journal.time_cells", root.get("time_cells"));
		return new JournalBatch(FormatFields.count("journal", root, "seq"),
				FormatFields.text("journal", root, "store_id", null),
				FormatFields.optionalInstant("journal.last_updated", root.get("last_updated")),
				new ChangeSet(changed, createdIds, castes(modelStats), modelStats, Map.of(), List.of()),
				(cells != null) ? cells : Map.of());
	}

	private static Map<ChangeSet.CasteKey, CasteStats> castes(Map<String, ModelStats> models) {
		Map<ChangeSet.CasteKey, CasteStats> castes = new LinkedHashMap<>();
		models.forEach((model, stats) -> stats.byCaste()
			.forEach((caste, counts) -> castes.put(new ChangeSet.CasteKey(model, caste), counts)));
		return castes;
	}

	/**
	 * Reads a line of {@code telemetry.retained}.
	 * @throws FileFormat.CorruptFileException if it is not a spawn
	 */
	SpawnRecord readSpawn(byte[] content) {
		JsonNode spawn = tree(content);
		if (spawn == null || !spawn.isObject() || FormatFields.text("retained", spawn, "spawn_id", null) == null) {
			throw new FileFormat.CorruptFileException("a line of telemetry.retained is not a spawn with its spawn_id");
		}
		return readDecision("retained", 0, spawn);
	}

	/**
	 * A file without a version is the ancestor's; one of a newer version, or of a version
	 * this build cannot even parse, may hold what this build would drop on rewriting it.
	 */
	private static int requireKnownVersion(@Nullable JsonNode version) {
		if (version == null || version.isNull()) {
			return 0;
		}
		String text = version.isNumber() ? version.numberValue().toString() : version.asString();
		Matcher parts = VERSION_PATTERN.matcher(text);
		if (!parts.matches()) {
			throw new FileFormat.TooNewException("'" + text + "'");
		}
		int major = Integer.parseInt(parts.group(1));
		int minor = (parts.group(2) != null) ? Integer.parseInt(parts.group(2)) : 0;
		if (major > FileFormat.MAJOR || (major == FileFormat.MAJOR && minor > FileFormat.MINOR)) {
			throw new FileFormat.TooNewException(text);
		}
		return (major < FileFormat.MAJOR) ? 0 : minor;
	}

	private ModelStats readModel(String path, JsonNode model) {
		FormatFields.requireObject(path, model);
		Map<String, CasteStats> castes = new LinkedHashMap<>();
		JsonNode byCaste = model.get("by_caste");
		if (byCaste != null && !byCaste.isNull()) {
			FormatFields.requireObject(path + ".by_caste", byCaste);
			for (Map.Entry<String, JsonNode> caste : byCaste.properties()) {
				String castePath = path + ".by_caste." + caste.getKey();
				JsonNode stats = caste.getValue();
				FormatFields.requireObject(castePath, stats);
				castes.put(caste.getKey(),
						FormatFields.withRouting(castePath, stats, FormatFields.casteStats(castePath, stats)));
			}
		}
		return new ModelStats(FormatFields.count(path, model, "total_spawns"),
				FormatFields.count(path, model, "successful_completions"),
				FormatFields.count(path, model, "failed_completions"), FormatFields.count(path, model, "blocked"),
				castes);
	}

	/**
	 * The cells of time buckets, or null where the file has none (written before time
	 * buckets were kept).
	 */
	private static @Nullable Map<TimeCell, CasteStats> timeCells(String path, @Nullable JsonNode sizes) {
		if (sizes == null || sizes.isNull()) {
			return null;
		}
		FormatFields.requireObject(path, sizes);
		Map<TimeCell, CasteStats> cells = new LinkedHashMap<>();
		for (BucketSize size : BucketSize.values()) {
			JsonNode list = sizes.get(size.wireName());
			if (list == null || list.isNull()) {
				continue;
			}
			String sizePath = path + "." + size.wireName();
			if (!list.isArray()) {
				throw new FileFormat.CorruptFileException(sizePath + " is not an array");
			}
			for (int i = 0; i < list.size(); i++) {
				String cellPath = sizePath + "[" + i + "]";
				JsonNode cell = list.get(i);
				FormatFields.requireObject(cellPath, cell);
				Instant start = FormatFields.optionalInstant(cellPath + ".start", cell.get("start"));
				String model = FormatFields.text(cellPath, cell, "model", null);
				String caste = FormatFields.text(cellPath, cell, "caste", null);
				if (start == null || model == null || caste == null || !size.startOf(start).equals(start)) {
					throw new FileFormat.CorruptFileException(
							cellPath + " lacks a start of its bucket size, a model or a caste");
				}
				cells.put(new TimeCell(size, start, model, caste, FormatFields.text(cellPath, cell, "source", null)),
						FormatFields.casteStats(cellPath, cell));
			}
		}
		return cells;
	}

	private SpawnRecord readDecision(String path, int position, JsonNode decision) {
		FormatFields.requireObject(path, decision);
		JsonNode timestampNode = decision.get("timestamp");
		Instant timestamp = FormatFields.optionalInstant(path + ".timestamp", timestampNode);
		if (timestamp == null) {
			throw new FileFormat.CorruptFileException(path + ".timestamp is missing");
		}
		String task = FormatFields.text(path, decision, "task", NewSpawn.UNKNOWN_TASK);
		String caste = FormatFields.text(path, decision, "caste", NewSpawn.UNKNOWN_CASTE);
		String model = FormatFields.text(path, decision, "selected_model", NewSpawn.DEFAULT_MODEL);
		String source = FormatFields.text(path, decision, "source", NewSpawn.DEFAULT_SOURCE);
		String spawnId = FormatFields.text(path, decision, "spawn_id", null);
		if (spawnId == null) {
			spawnId = derivedSpawnId(position, timestampNode.asString(), task, caste, model, source);
		}
		String outcomeName = FormatFields.text(path, decision, "outcome", null);
		Outcome outcome = null;
		if (outcomeName != null) {
			outcome = Outcome.fromWireName(outcomeName)
				.orElseThrow(() -> new FileFormat.CorruptFileException(
						path + ".outcome '" + outcomeName + "' is not one of " + Outcome.ALLOWED));
		}
		Instant completedAt = FormatFields.optionalInstant(path + ".completed_at", decision.get("completed_at"));
		return new SpawnRecord(spawnId, timestamp, task, caste, model, source, outcome, completedAt,
				FormatFields.count(path, decision, "tokens"), FormatFields.tools(path, decision),
				FormatFields.route(path, decision), FormatFields.text(path, decision, "served_model", null),
				FormatFields.text(path, decision, "outcome_reason", null), FormatFields.usageKeys(path, decision));
	}

	/**
	 * The ancestor identified decisions by nothing; an id derived from the entry and its
	 * position stays the same every time the same file is loaded.
	 */
	private static String derivedSpawnId(int position, String... fields) {
		String key = position + "\u0000" + String.join("\u0000", fields);
		return "legacy-" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
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

	/**
	 * One batch read back from the journal: what it changed (its time cells as their new
	 * values, and no spawns that left the log: replaying the batch decides those again).
	 */
	record JournalBatch(long seq, @Nullable String storeId, @Nullable Instant lastUpdated, ChangeSet changes,
			Map<TimeCell, CasteStats> timeCells) {

	}

}
