package dev.spawntelemetry.store.file;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.store.RoutingJson;
import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.Route;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.TimeCell;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.ToolUsage;
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
	 * @throws CorruptFileException naming what is wrong, if the content is not JSON or
	 * not telemetry data
	 */
	TelemetrySnapshot read(byte[] content) {
		return readCheckpoint(content).snapshot();
	}

	/**
	 * Reads a file's content and the last batch of the journal it holds.
	 * @throws CorruptFileException naming what is wrong, if the content is not JSON or
	 * not telemetry data
	 */
	FileFormat.Checkpoint readCheckpoint(byte[] content) {
		JsonNode root = tree(content);
		if (root == null || !root.isObject()) {
			throw new CorruptFileException("the top level is not a JSON object");
		}
		int minor = requireKnownVersion(root.get("version"));
		JsonNode models = root.get("models");
		if (models == null || !models.isObject()) {
			throw new CorruptFileException("'models' is missing or not an object");
		}
		JsonNode decisions = root.get("routing_decisions");
		if (decisions == null || !decisions.isArray()) {
			throw new CorruptFileException("'routing_decisions' is missing or not an array");
		}
		Map<String, ModelStats> modelStats = readModels("models", models);
		List<SpawnRecord> log = new ArrayList<>(decisions.size());
		for (int i = 0; i < decisions.size(); i++) {
			log.add(readDecision("routing_decisions[" + i + "]", i, decisions.get(i)));
		}
		Map<TimeCell, CasteStats> cells = timeCells("time_buckets", root.get("time_buckets"));
		return new FileFormat.Checkpoint(
				new TelemetrySnapshot(0, optionalInstant("last_updated", root.get("last_updated")), modelStats, log),
				count("", root, "journal_seq"), (cells != null) ? TimeBuckets.EMPTY.with(cells) : null,
				text("", root, "store_id", null), minor >= 6);
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
			throw new CorruptFileException("not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Reads one batch of the journal.
	 * @throws CorruptFileException if it is not such a batch
	 */
	FileFormat.JournalBatch readBatch(byte[] content) {
		JsonNode root = tree(content);
		if (root == null || !root.isObject()) {
			throw new CorruptFileException("a journal line is not a JSON object");
		}
		JsonNode models = root.get("models");
		JsonNode spawns = root.get("spawns");
		JsonNode created = root.get("created");
		if (models == null || !models.isObject() || spawns == null || !spawns.isArray() || created == null
				|| !created.isArray()) {
			throw new CorruptFileException("a journal line lacks models, spawns or created");
		}
		Map<String, ModelStats> modelStats = readModels("journal.models", models);
		List<SpawnRecord> changed = new ArrayList<>(spawns.size());
		for (int i = 0; i < spawns.size(); i++) {
			JsonNode spawn = spawns.get(i);
			if (spawn == null || !spawn.isObject() || text("journal.spawns", spawn, "spawn_id", null) == null) {
				throw new CorruptFileException("journal.spawns[" + i + "] has no spawn_id");
			}
			changed.add(readDecision("journal.spawns[" + i + "]", i, spawn));
		}
		java.util.Set<String> createdIds = new java.util.LinkedHashSet<>();
		for (JsonNode id : created) {
			if (!id.isString()) {
				throw new CorruptFileException("journal.created holds something other than spawn ids");
			}
			createdIds.add(id.stringValue());
		}
		Map<TimeCell, CasteStats> cells = timeCells("journal.time_cells", root.get("time_cells"));
		return new FileFormat.JournalBatch(count("journal", root, "seq"), text("journal", root, "store_id", null),
				optionalInstant("journal.last_updated", root.get("last_updated")),
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
	 * @throws CorruptFileException if it is not a spawn
	 */
	SpawnRecord readSpawn(byte[] content) {
		JsonNode spawn = tree(content);
		if (spawn == null || !spawn.isObject() || text("retained", spawn, "spawn_id", null) == null) {
			throw new CorruptFileException("a line of telemetry.retained is not a spawn with its spawn_id");
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
			throw new TooNewException("'" + text + "'");
		}
		int major = Integer.parseInt(parts.group(1));
		int minor = (parts.group(2) != null) ? Integer.parseInt(parts.group(2)) : 0;
		if (major > FileFormat.MAJOR || (major == FileFormat.MAJOR && minor > FileFormat.MINOR)) {
			throw new TooNewException(text);
		}
		return (major < FileFormat.MAJOR) ? 0 : minor;
	}

	private ModelStats readModel(String path, JsonNode model) {
		requireObject(path, model);
		Map<String, CasteStats> castes = new LinkedHashMap<>();
		JsonNode byCaste = model.get("by_caste");
		if (byCaste != null && !byCaste.isNull()) {
			requireObject(path + ".by_caste", byCaste);
			for (Map.Entry<String, JsonNode> caste : byCaste.properties()) {
				String castePath = path + ".by_caste." + caste.getKey();
				JsonNode stats = caste.getValue();
				requireObject(castePath, stats);
				castes.put(caste.getKey(), withRouting(castePath, stats, casteStats(castePath, stats)));
			}
		}
		return new ModelStats(count(path, model, "total_spawns"), count(path, model, "successful_completions"),
				count(path, model, "failed_completions"), count(path, model, "blocked"), castes);
	}

	private static CasteStats casteStats(String path, JsonNode stats) {
		return new CasteStats(count(path, stats, "spawns"), count(path, stats, "success"),
				count(path, stats, "failures"), count(path, stats, "blocked"), count(path, stats, "tokens"),
				tools(path, stats), count(path, stats, "clock_skew"), durations(path, stats), RouteEvidence.NONE,
				propensitySums(path, stats));
	}

	private static Map<String, PropensitySums> propensitySums(String path, JsonNode stats) {
		JsonNode sums = stats.get("propensity_sums");
		if (sums == null || sums.isNull()) {
			return Map.of();
		}
		try {
			return RoutingJson.propensitySums(sums);
		}
		catch (IllegalArgumentException ex) {
			throw new CorruptFileException(path + ".propensity_sums are not propensity sums: " + ex.getMessage());
		}
	}

	/**
	 * A caste's lifetime counters with its routing evidence; a file written before
	 * routing has none, and its evidence is then drawn from the counts.
	 */
	private static CasteStats withRouting(String path, JsonNode stats, CasteStats counts) {
		JsonNode routing = stats.get("routing");
		if (routing == null || routing.isNull()) {
			return counts.withRouting(RouteEvidence.ofCounts(counts.completed(), counts.failed() + counts.blocked()));
		}
		try {
			return counts.withRouting(RoutingJson.evidence(routing));
		}
		catch (IllegalArgumentException ex) {
			throw new CorruptFileException(path + ".routing is not routing evidence: " + ex.getMessage());
		}
	}

	/**
	 * The cells of time buckets, or null where the file has none (written before time
	 * buckets were kept).
	 */
	private static @Nullable Map<TimeCell, CasteStats> timeCells(String path, @Nullable JsonNode sizes) {
		if (sizes == null || sizes.isNull()) {
			return null;
		}
		requireObject(path, sizes);
		Map<TimeCell, CasteStats> cells = new LinkedHashMap<>();
		for (BucketSize size : BucketSize.values()) {
			JsonNode list = sizes.get(size.wireName());
			if (list == null || list.isNull()) {
				continue;
			}
			String sizePath = path + "." + size.wireName();
			if (!list.isArray()) {
				throw new CorruptFileException(sizePath + " is not an array");
			}
			for (int i = 0; i < list.size(); i++) {
				String cellPath = sizePath + "[" + i + "]";
				JsonNode cell = list.get(i);
				requireObject(cellPath, cell);
				Instant start = optionalInstant(cellPath + ".start", cell.get("start"));
				String model = text(cellPath, cell, "model", null);
				String caste = text(cellPath, cell, "caste", null);
				if (start == null || model == null || caste == null || !size.startOf(start).equals(start)) {
					throw new CorruptFileException(cellPath + " lacks a start of its bucket size, a model or a caste");
				}
				cells.put(new TimeCell(size, start, model, caste, text(cellPath, cell, "source", null)),
						casteStats(cellPath, cell));
			}
		}
		return cells;
	}

	private SpawnRecord readDecision(String path, int position, JsonNode decision) {
		requireObject(path, decision);
		JsonNode timestampNode = decision.get("timestamp");
		Instant timestamp = optionalInstant(path + ".timestamp", timestampNode);
		if (timestamp == null) {
			throw new CorruptFileException(path + ".timestamp is missing");
		}
		String task = text(path, decision, "task", NewSpawn.UNKNOWN_TASK);
		String caste = text(path, decision, "caste", NewSpawn.UNKNOWN_CASTE);
		String model = text(path, decision, "selected_model", NewSpawn.DEFAULT_MODEL);
		String source = text(path, decision, "source", NewSpawn.DEFAULT_SOURCE);
		String spawnId = text(path, decision, "spawn_id", null);
		if (spawnId == null) {
			spawnId = derivedSpawnId(position, timestampNode.asString(), task, caste, model, source);
		}
		String outcomeName = text(path, decision, "outcome", null);
		Outcome outcome = null;
		if (outcomeName != null) {
			outcome = Outcome.fromWireName(outcomeName)
				.orElseThrow(() -> new CorruptFileException(
						path + ".outcome '" + outcomeName + "' is not one of " + Outcome.ALLOWED));
		}
		Instant completedAt = optionalInstant(path + ".completed_at", decision.get("completed_at"));
		return new SpawnRecord(spawnId, timestamp, task, caste, model, source, outcome, completedAt,
				count(path, decision, "tokens"), tools(path, decision), route(path, decision),
				text(path, decision, "served_model", null), text(path, decision, "outcome_reason", null),
				usageKeys(path, decision));
	}

	private static @Nullable Route route(String path, JsonNode decision) {
		JsonNode route = decision.get("route");
		if (route == null || route.isNull()) {
			return null;
		}
		try {
			return RoutingJson.route(route);
		}
		catch (IllegalArgumentException ex) {
			throw new CorruptFileException(path + ".route is not a route: " + ex.getMessage());
		}
	}

	private static List<String> usageKeys(String path, JsonNode decision) {
		JsonNode keys = decision.get("usage_keys");
		if (keys == null || keys.isNull()) {
			return List.of();
		}
		if (!keys.isArray()) {
			throw new CorruptFileException(path + ".usage_keys is not an array of strings");
		}
		List<String> read = new ArrayList<>(keys.size());
		for (JsonNode key : keys) {
			if (!key.isString()) {
				throw new CorruptFileException(path + ".usage_keys is not an array of strings");
			}
			read.add(key.stringValue());
		}
		return read;
	}

	private static ToolUsage tools(String path, JsonNode parent) {
		JsonNode tools = parent.get("tools");
		if (tools == null || tools.isNull()) {
			return ToolUsage.NONE;
		}
		String toolsPath = path + ".tools";
		requireObject(toolsPath, tools);
		return new ToolUsage(count(toolsPath, tools, "read"), count(toolsPath, tools, "grep"),
				count(toolsPath, tools, "edit"), count(toolsPath, tools, "bash"));
	}

	/** How many of an outcome's durations were zero; none where the file does not say. */
	private static long zeros(String path, JsonNode parent, Outcome outcome) {
		JsonNode zeros = parent.get("zero_durations");
		if (zeros == null || zeros.isNull()) {
			return 0;
		}
		requireObject(path + ".zero_durations", zeros);
		return count(path + ".zero_durations", zeros, outcome.wireName());
	}

	/** Outcomes this version does not know are ignored, as any unknown field. */
	private static Map<Outcome, DurationHistogram> durations(String path, JsonNode parent) {
		JsonNode durations = parent.get("durations");
		Map<Outcome, DurationHistogram> histograms = new EnumMap<>(Outcome.class);
		if (durations == null || durations.isNull()) {
			return histograms;
		}
		requireObject(path + ".durations", durations);
		for (Outcome outcome : Outcome.values()) {
			JsonNode buckets = durations.get(outcome.wireName());
			if (buckets == null || buckets.isNull()) {
				continue;
			}
			String bucketsPath = path + ".durations." + outcome.wireName();
			if (!buckets.isArray() || buckets.size() > DurationHistogram.BUCKETS) {
				throw new CorruptFileException(
						bucketsPath + " is not an array of at most " + DurationHistogram.BUCKETS + " counts");
			}
			long[] counts = new long[buckets.size()];
			for (int i = 0; i < counts.length; i++) {
				JsonNode count = buckets.get(i);
				if (!count.isIntegralNumber() || !count.canConvertToLong() || count.longValue() < 0) {
					throw new CorruptFileException(bucketsPath + "[" + i + "] is not a non-negative integer");
				}
				counts[i] = count.longValue();
			}
			long zeros = zeros(path, parent, outcome);
			if (zeros > ((counts.length > 0) ? counts[0] : 0)) {
				throw new CorruptFileException(path + ".zero_durations." + outcome.wireName()
						+ " counts more durations than " + bucketsPath + "[0] holds");
			}
			histograms.put(outcome, DurationHistogram.of(counts, zeros));
		}
		return histograms;
	}

	/**
	 * The ancestor identified decisions by nothing; an id derived from the entry and its
	 * position stays the same every time the same file is loaded.
	 */
	private static String derivedSpawnId(int position, String... fields) {
		String key = position + "\u0000" + String.join("\u0000", fields);
		return "legacy-" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
	}

	private static void requireObject(String path, JsonNode node) {
		if (!node.isObject()) {
			throw new CorruptFileException(path + " is not an object");
		}
	}

	private static long count(String path, JsonNode parent, String name) {
		JsonNode node = parent.get(name);
		if (node == null || node.isNull()) {
			return 0;
		}
		if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
			throw new CorruptFileException(path + "." + name + " is not a non-negative integer: " + node);
		}
		return node.longValue();
	}

	private static @Nullable String text(String path, JsonNode parent, String name, @Nullable String absent) {
		JsonNode node = parent.get(name);
		if (node == null || node.isNull()) {
			return absent;
		}
		if (!node.isString()) {
			throw new CorruptFileException(path + "." + name + " is not a string: " + node);
		}
		return node.stringValue();
	}

	private static @Nullable Instant optionalInstant(String path, @Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		try {
			return Instant.parse(node.asString());
		}
		catch (DateTimeParseException ex) {
			throw new CorruptFileException(path + " is not an ISO-8601 instant: " + node, ex);
		}
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
