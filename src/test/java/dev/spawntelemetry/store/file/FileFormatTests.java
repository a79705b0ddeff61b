package dev.spawntelemetry.store.file;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.Route;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.ToolUsage;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FileFormatTests {

	private final FileFormat format = new FileFormat();

	private final FileFormatReader reader = new FileFormatReader();

	@Test
	void readsBackWhatItWrites() {
		SpawnRecord open = new SpawnRecord("a", Instant.parse("2026-01-01T00:00:00Z"), "task \"quoted\"\n", "builder",
				"openrouter/anthropic/claude-sonnet-4.5", "task-based", null, null, 0, ToolUsage.NONE);
		SpawnRecord ended = new SpawnRecord("b", Instant.parse("2026-01-01T00:00:01.5Z"), "t", "scout", "glm-5",
				"cli-override", Outcome.BLOCKED, Instant.parse("2026-01-01T00:01:00Z"), 42, new ToolUsage(1, 2, 3, 4));
		Map<String, ModelStats> models = Map.of("glm-5",
				new ModelStats(7, 1, 2, 3,
						Map.of("scout",
								new CasteStats(7, 1, 2, 3).withRouting(RouteEvidence.NONE
									.withOutcome(true, Instant.parse("2026-01-01T00:00:00.5Z"), 0, "refactor")
									.withOutcome(false, Instant.parse("2026-01-01T00:01:00Z"), 1)))),
				"openrouter/anthropic/claude-sonnet-4.5",
				new ModelStats(1, 0, 0, 0, Map.of("builder", new CasteStats(1, 0, 0, 0))));
		SpawnRecord routed = new SpawnRecord("c", Instant.parse("2026-01-01T00:00:02Z"), "t", "scout", "glm-5",
				"telemetry", null, null, 0, ToolUsage.NONE, new Route("thompson-discounted", 0.123456789012345,
						"glm-5 chosen", List.of("kimi", "glm-5"), "refactor"),
				List.of());
		SpawnRecord reported = new SpawnRecord("d", Instant.parse("2026-01-01T00:00:03Z"), "t", "scout", "gpt-4o",
				"otel", Outcome.FAILED, Instant.parse("2026-01-01T00:00:04Z"), 0, ToolUsage.NONE, null,
				"gpt-4o-2024-08-06", "rate_limited", List.of());
		TelemetrySnapshot written = new TelemetrySnapshot(9, Instant.parse("2026-01-02T00:00:00Z"), models,
				List.of(open, ended, routed, reported));

		TelemetrySnapshot read = this.reader.read(write(written));

		assertThat(read.models()).isEqualTo(written.models());
		assertThat(read.decisions()).containsExactly(open, ended, routed, reported);
		assertThat(read.lastUpdated()).isEqualTo(written.lastUpdated());
	}

	@Test
	void writesTheAncestorsFieldNamesCompactly() {
		SpawnRecord spawn = new SpawnRecord("a", Instant.parse("2026-01-01T00:00:00Z"), "t", "builder", "kimi-k2.5",
				"task-based", null, null, 0, ToolUsage.NONE);
		TelemetrySnapshot snapshot = new TelemetrySnapshot(1, Instant.parse("2026-01-01T00:00:00Z"),
				Map.of("kimi-k2.5", new ModelStats(1, 0, 0, 0, Map.of("builder", new CasteStats(1, 0, 0, 0)))),
				List.of(spawn));

		assertThat(new String(write(snapshot), StandardCharsets.UTF_8)).isEqualTo("{\"version\":\"1.6\","
				+ "\"last_updated\":\"2026-01-01T00:00:00Z\",\"models\":{\"kimi-k2.5\":{\"total_spawns\":1,"
				+ "\"successful_completions\":0,\"failed_completions\":0,\"blocked\":0,\"by_caste\":{\"builder\":"
				+ "{\"spawns\":1,\"success\":0,\"failures\":0,\"blocked\":0,\"tokens\":0,\"tools\":{\"read\":0,"
				+ "\"grep\":0,\"edit\":0,\"bash\":0},\"clock_skew\":0,\"durations\":{}}}}},\"routing_decisions\":[{\"timestamp\":"
				+ "\"2026-01-01T00:00:00Z\",\"task\":\"t\",\"caste\":\"builder\",\"selected_model\":\"kimi-k2.5\","
				+ "\"source\":\"task-based\",\"spawn_id\":\"a\",\"outcome\":null,\"completed_at\":null,\"tokens\":0,"
				+ "\"tools\":{\"read\":0,\"grep\":0,\"edit\":0,\"bash\":0}}],\"time_buckets\":{}}");
	}

	@Test
	void readsBackUsageDurationsAndClockSkew() {
		CasteStats builder = new CasteStats(5, 3, 1, 1, 1234, new ToolUsage(1, 2, 3, 4), 2,
				Map.of(Outcome.COMPLETED, DurationHistogram.of(new long[] { 0, 1, 0, 2 }), Outcome.BLOCKED,
						DurationHistogram.of(new long[] { 2 }, 1)))
			.withRouting(RouteEvidence.ofCounts(3, 2));
		TelemetrySnapshot written = new TelemetrySnapshot(1, null,
				Map.of("m", new ModelStats(5, 3, 1, 1, Map.of("builder", builder))), List.of());

		TelemetrySnapshot read = this.reader.read(write(written));

		assertThat(read.models().get("m").byCaste().get("builder")).isEqualTo(builder);
		assertThat(read.models().get("m").tokens()).isEqualTo(1234);
		assertThat(read.models().get("m").durations(Outcome.COMPLETED).total()).isEqualTo(3);
	}

	@Test
	void refusesMoreZeroDurationsThanTheirBucketHolds() {
		assertThatExceptionOfType(FileFormat.CorruptFileException.class).isThrownBy(() -> this.reader.read("""
				{"models":{"m":{"total_spawns":1,"by_caste":{"b":{"spawns":1,"durations":{"failed":[1]},
				 "zero_durations":{"failed":2}}}}},"routing_decisions":[]}
				""".getBytes(StandardCharsets.UTF_8))).withMessageContaining("zero_durations.failed");
	}

	@Test
	void ignoresDurationsOfOutcomesItDoesNotKnow() {
		TelemetrySnapshot read = this.reader.read("""
				{"models":{"m":{"total_spawns":1,"by_caste":{"b":{"spawns":1,"durations":{"abandoned":[1,2]}}}}},
				 "routing_decisions":[]}
				""".getBytes(StandardCharsets.UTF_8));

		assertThat(read.models().get("m").byCaste().get("b").durations()).isEmpty();
	}

	@Test
	void derivesTheSameIdsForAncestorEntriesOnEveryLoad() {
		byte[] ancestor = """
				{"models":{},"routing_decisions":[
				 {"timestamp":"2026-01-01T00:00:00.000Z","task":"t","caste":"builder","selected_model":"m","source":"s"},
				 {"timestamp":"2026-01-01T00:00:00.000Z","task":"t","caste":"builder","selected_model":"m","source":"s"}]}
				"""
			.getBytes(StandardCharsets.UTF_8);

		List<String> first = this.reader.read(ancestor).decisions().stream().map(SpawnRecord::spawnId).toList();
		List<String> second = this.reader.read(ancestor).decisions().stream().map(SpawnRecord::spawnId).toList();

		assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
		assertThat(first).allSatisfy((id) -> assertThat(id).startsWith("legacy-").hasSizeLessThanOrEqualTo(64));
	}

	@Test
	void keepsCountsAsTheyAreWithoutRecomputingThemFromTheLog() {
		TelemetrySnapshot read = this.reader.read("""
				{"models":{"m":{"total_spawns":500,"successful_completions":400}},"routing_decisions":[]}
				""".getBytes(StandardCharsets.UTF_8));

		assertThat(read.totalSpawns()).isEqualTo(500);
		assertThat(read.models().get("m").completed()).isEqualTo(400);
		assertThat(read.models().get("m").byCaste()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "not json", "[]", "{\"models\":{}}", "{\"routing_decisions\":[]}",
			"{\"models\":[],\"routing_decisions\":[]}",
			"{\"models\":{\"m\":{\"total_spawns\":-1}},\"routing_decisions\":[]}",
			"{\"models\":{\"m\":{\"total_spawns\":\"many\"}},\"routing_decisions\":[]}",
			"{\"models\":{},\"routing_decisions\":[{\"task\":\"no timestamp\"}]}",
			"{\"models\":{},\"routing_decisions\":[{\"timestamp\":\"yesterday\"}]}",
			"{\"models\":{},\"routing_decisions\":[{\"timestamp\":\"2026-01-01T00:00:00Z\",\"outcome\":\"won\"}]}",
			"{\"models\":{},\"routing_decisions\":[7]}",
			"{\"models\":{\"m\":{\"by_caste\":{\"b\":{\"durations\":{\"completed\":[-1]}}}}},\"routing_decisions\":[]}",
			"{\"models\":{\"m\":{\"by_caste\":{\"b\":{\"durations\":{\"failed\":\"fast\"}}}}},\"routing_decisions\":[]}",
			"{\"models\":{},\"routing_decisions\":[]} trailing" })
	void refusesContentThatIsNotTelemetry(String content) {
		assertThatExceptionOfType(FileFormat.CorruptFileException.class)
			.isThrownBy(() -> this.reader.read(content.getBytes(StandardCharsets.UTF_8)))
			.withMessageNotContaining("Exception");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"1.7\"", "\"2.0\"", "\"2\"", "1.8", "\"1.0-beta\"", "\"next\"" })
	void refusesAFileOfAVersionItDoesNotKnow(String version) {
		String content = "{\"version\":" + version + ",\"models\":{},\"routing_decisions\":[],\"added_later\":{}}";

		assertThatExceptionOfType(FileFormat.TooNewException.class)
			.isThrownBy(() -> this.reader.read(content.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("understands up to 1.6")
			.satisfies((ex) -> assertThat(ex.getMessage()).contains(version.replace("\"", "")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"1.6\"", "\"1.5\"", "\"1.4\"", "\"1.3\"", "\"1.2\"", "\"1.1\"", "\"1.0\"", "\"0.9\"",
			"\"1\"", "1.0", "null" })
	void readsItsOwnOlderAndVersionlessFiles(String version) {
		String content = "{\"version\":" + version + ",\"models\":{\"m\":{\"total_spawns\":2}},"
				+ "\"routing_decisions\":[]}";

		assertThat(this.reader.read(content.getBytes(StandardCharsets.UTF_8)).totalSpawns()).isEqualTo(2);
	}

	private byte[] write(TelemetrySnapshot snapshot) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.format.write(snapshot, 0, TimeBuckets.EMPTY, null, out);
		return out.toByteArray();
	}

}
