package dev.spawntelemetry.store.file;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.store.RoutingJson;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.Route;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.ToolUsage;

/**
 * The fields the format's documents share: a caste's counters (in a model, a journal
 * batch or a time cell) and a spawn's tools, written and read back here; a caste's
 * routing evidence and propensity sums and a spawn's route and usage keys, read here; and
 * the checks of every plain field. A field that is not what it must be is refused with
 * its path, such as {@code models.glm-5.by_caste.builder.tokens is not a non-negative
 * integer}; an absent one takes the ancestor's default.
 */
final class FormatFields {

	private FormatFields() {
	}

	static void writeCasteStats(JsonGenerator json, CasteStats stats) {
		writeCasteStats(json, stats, false);
	}

	/**
	 * The fields of a caste's counters, within an object the caller opened; compact
	 * leaves out the tools, clock skew and durations where there are none.
	 */
	static void writeCasteStats(JsonGenerator json, CasteStats stats, boolean compact) {
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

	static void writeTools(JsonGenerator json, ToolUsage tools) {
		json.writeObjectPropertyStart("tools");
		json.writeNumberProperty("read", tools.read());
		json.writeNumberProperty("grep", tools.grep());
		json.writeNumberProperty("edit", tools.edit());
		json.writeNumberProperty("bash", tools.bash());
		json.writeEndObject();
	}

	static void requireObject(String path, JsonNode node) {
		if (!node.isObject()) {
			throw new FileFormat.CorruptFileException(path + " is not an object");
		}
	}

	static long count(String path, JsonNode parent, String name) {
		JsonNode node = parent.get(name);
		if (node == null || node.isNull()) {
			return 0;
		}
		if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
			throw new FileFormat.CorruptFileException(path + "." + name + " is not a non-negative integer: " + node);
		}
		return node.longValue();
	}

	static @Nullable String text(String path, JsonNode parent, String name, @Nullable String absent) {
		JsonNode node = parent.get(name);
		if (node == null || node.isNull()) {
			return absent;
		}
		if (!node.isString()) {
			throw new FileFormat.CorruptFileException(path + "." + name + " is not a string: " + node);
		}
		return node.stringValue();
	}

	static @Nullable Instant optionalInstant(String path, @Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		try {
			return Instant.parse(node.asString());
		}
		catch (DateTimeParseException ex) {
			throw new FileFormat.CorruptFileException(path + " is not an ISO-8601 instant: " + node, ex);
		}
	}

	static CasteStats casteStats(String path, JsonNode stats) {
		return new CasteStats(count(path, stats, "spawns"), count(path, stats, "success"),
				count(path, stats, "failures"), count(path, stats, "blocked"), count(path, stats, "tokens"),
				tools(path, stats), count(path, stats, "clock_skew"), durations(path, stats), RouteEvidence.NONE,
				propensitySums(path, stats));
	}

	static Map<String, PropensitySums> propensitySums(String path, JsonNode stats) {
		JsonNode sums = stats.get("propensity_sums");
		if (sums == null || sums.isNull()) {
			return Map.of();
		}
		try {
			return RoutingJson.propensitySums(sums);
		}
		catch (IllegalArgumentException ex) {
			throw new FileFormat.CorruptFileException(
					path + ".propensity_sums are not propensity sums: " + ex.getMessage());
		}
	}

	/**
	 * A caste's lifetime counters with its routing evidence; a file written before
	 * routing has none, and its evidence is then drawn from the counts.
	 */
	static CasteStats withRouting(String path, JsonNode stats, CasteStats counts) {
		JsonNode routing = stats.get("routing");
		if (routing == null || routing.isNull()) {
			return counts.withRouting(RouteEvidence.ofCounts(counts.completed(), counts.failed() + counts.blocked()));
		}
		try {
			return counts.withRouting(RoutingJson.evidence(routing));
		}
		catch (IllegalArgumentException ex) {
			throw new FileFormat.CorruptFileException(path + ".routing is not routing evidence: " + ex.getMessage());
		}
	}

	static @Nullable Route route(String path, JsonNode decision) {
		JsonNode route = decision.get("route");
		if (route == null || route.isNull()) {
			return null;
		}
		try {
			return RoutingJson.route(route);
		}
		catch (IllegalArgumentException ex) {
			throw new FileFormat.CorruptFileException(path + ".route is not a route: " + ex.getMessage());
		}
	}

	static List<String> usageKeys(String path, JsonNode decision) {
		JsonNode keys = decision.get("usage_keys");
		if (keys == null || keys.isNull()) {
			return List.of();
		}
		if (!keys.isArray()) {
			throw new FileFormat.CorruptFileException(path + ".usage_keys is not an array of strings");
		}
		List<String> read = new ArrayList<>(keys.size());
		for (JsonNode key : keys) {
			if (!key.isString()) {
				throw new FileFormat.CorruptFileException(path + ".usage_keys is not an array of strings");
			}
			read.add(key.stringValue());
		}
		return read;
	}

	static ToolUsage tools(String path, JsonNode parent) {
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
	static Map<Outcome, DurationHistogram> durations(String path, JsonNode parent) {
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
				throw new FileFormat.CorruptFileException(
						bucketsPath + " is not an array of at most " + DurationHistogram.BUCKETS + " counts");
			}
			long[] counts = new long[buckets.size()];
			for (int i = 0; i < counts.length; i++) {
				JsonNode count = buckets.get(i);
				if (!count.isIntegralNumber() || !count.canConvertToLong() || count.longValue() < 0) {
					throw new FileFormat.CorruptFileException(
							bucketsPath + "[" + i + "] is not a non-negative integer");
				}
				counts[i] = count.longValue();
			}
			long zeros = zeros(path, parent, outcome);
			if (zeros > ((counts.length > 0) ? counts[0] : 0)) {
				throw new FileFormat.CorruptFileException(path + ".zero_durations." + outcome.wireName()
						+ " counts more durations than " + bucketsPath + "[0] holds");
			}
			histograms.put(outcome, DurationHistogram.of(counts, zeros));
		}
		return histograms;
	}

}
