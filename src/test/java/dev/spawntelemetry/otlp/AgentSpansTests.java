package dev.spawntelemetry.otlp;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.otlp.AgentSpans.AgentSpan;
import dev.spawntelemetry.telemetry.EndedSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.ToolUsage;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class AgentSpansTests {

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	private static final long START = NOW.minusSeconds(60).toEpochMilli() * 1_000_000L;

	private static final ByteString TRACE = ByteString
		.copyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });

	private final AgentSpans agentSpans = new AgentSpans(
			new OtlpProperties(DataSize.ofMegabytes(4), DataSize.ofMegabytes(16), 2048, 4, "aether.caste", null,
					"aether.source", "aether.outcome", Map.of("Bash", "bash")),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void readsTheModelAndTokensFromTheModelCallsBelowAnAgentThatNamesNeitherAndToolsThroughNestedSpans() {
		Span agent = span(1, 0, "invoke_agent planner", "gen_ai.operation.name", "invoke_agent", "gen_ai.agent.name",
				"Planner Agent");
		Span chat = span(2, 1, "chat", "gen_ai.operation.name", "chat", "gen_ai.request.model", "gpt-4o",
				"gen_ai.response.model", "gpt-4o-2024-08-06", "gen_ai.usage.prompt_tokens", 100L,
				"gen_ai.usage.completion_tokens", 20L);
		Span step = span(3, 1, "step", "other", "x");
		Span tool = span(4, 3, "execute_tool Bash", "gen_ai.operation.name", "execute_tool", "gen_ai.tool.name",
				"Bash");
		Span grep = span(5, 3, "execute_tool grep", "gen_ai.operation.name", "execute_tool", "gen_ai.tool.name",
				"GREP");
		Span unknownTool = span(6, 1, "execute_tool search", "gen_ai.operation.name", "execute_tool",
				"gen_ai.tool.name", "search");

		EndedSpawn spawn = only(export(tool, grep, chat, agent, step, unknownTool)).spawn();

		assertThat(spawn.spawn().caste()).isEqualTo("Planner-Agent");
		assertThat(spawn.spawn().model()).isEqualTo("gpt-4o");
		assertThat(spawn.servedModel()).isEqualTo("gpt-4o-2024-08-06");
		assertThat(spawn.usage().tokens()).isEqualTo(120);
		assertThat(spawn.usage().tools()).isEqualTo(new ToolUsage(0, 1, 0, 1));
		assertThat(spawn.spawn().source()).isEqualTo("otel");
		assertThat(spawn.spawn().task()).isEqualTo("invoke_agent planner");
		assertThat(spawn.outcome()).isEqualTo(Outcome.COMPLETED);
	}

	@Test
	void theConfiguredAttributesComeFirstAndAStatedOutcomeOverridesTheStatus() {
		Span agent = span(1, 0, "invoke_agent", "gen_ai.operation.name", "invoke_agent", "gen_ai.agent.name", "x",
				"aether.caste", "builder", "aether.source", "cli-override", "aether.outcome", "Blocked",
				"gen_ai.request.model", "glm-5", "error.type", "needs_human")
			.toBuilder()
			.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
			.build();

		EndedSpawn spawn = only(export(agent)).spawn();

		assertThat(spawn.spawn().caste()).isEqualTo("builder");
		assertThat(spawn.spawn().source()).isEqualTo("cli-override");
		assertThat(spawn.outcome()).isEqualTo(Outcome.BLOCKED);
		assertThat(spawn.outcomeReason()).isEqualTo("needs_human");
		assertThat(spawn.spawn().spawnId()).isEqualTo("otel-0102030405060708090a0b0c0d0e0f10-0000000000000001");
		assertThat(spawn.completedAt()).isEqualTo(NOW.minusSeconds(60).plusSeconds(5));
	}

	@Test
	void refusesSpansThatCannotBeSpawnsAndPassesOverOtherOperations() {
		Span endsBeforeItStarts = span(1, 0, "a", "gen_ai.operation.name", "invoke_agent").toBuilder()
			.setEndTimeUnixNano(START - 1)
			.build();
		Span inTheFuture = span(2, 0, "a", "gen_ai.operation.name", "invoke_agent").toBuilder()
			.setEndTimeUnixNano(NOW.plusSeconds(3600).toEpochMilli() * 1_000_000L)
			.build();
		Span badModel = span(3, 0, "a", "gen_ai.operation.name", "invoke_agent", "gen_ai.request.model", "a//b");
		Span negativeTokens = span(4, 0, "a", "gen_ai.operation.name", "invoke_agent", "gen_ai.usage.input_tokens",
				-5L);
		Span fractionalTokens = span(5, 0, "a", "gen_ai.operation.name", "invoke_agent", "gen_ai.usage.input_tokens",
				1.5);
		Span zeroTrace = span(6, 0, "a", "gen_ai.operation.name", "invoke_agent").toBuilder()
			.setTraceId(ByteString.copyFrom(new byte[16]))
			.build();
		Span chatAlone = span(7, 0, "chat", "gen_ai.operation.name", "chat");

		List<AgentSpan> read = this.agentSpans.read(export(endsBeforeItStarts, inTheFuture, badModel, negativeTokens,
				fractionalTokens, zeroTrace, chatAlone));

		assertThat(read).extracting(AgentSpan::rejection)
			.containsExactly(SpanRejection.INVALID_SPAN, SpanRejection.INVALID_SPAN, SpanRejection.INVALID_NAME,
					SpanRejection.INVALID_USAGE, SpanRejection.INVALID_USAGE, SpanRejection.INVALID_SPAN);
		assertThat(read).allSatisfy((span) -> assertThat(span.message()).isNotBlank());
	}

	private AgentSpan only(ExportTraceServiceRequest export) {
		List<AgentSpan> read = this.agentSpans.read(export);
		assertThat(read).hasSize(1);
		assertThat(read.get(0).rejection()).isNull();
		return read.get(0);
	}

	private static ExportTraceServiceRequest export(Span... spans) {
		return ExportTraceServiceRequest.newBuilder()
			.addResourceSpans(
					ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
			.build();
	}

	/**
	 * A span of the test's trace, 5 seconds long, with attributes as key, value pairs.
	 */
	private static Span span(int id, int parent, String name, Object... attributes) {
		Span.Builder span = Span.newBuilder()
			.setTraceId(TRACE)
			.setSpanId(spanId(id))
			.setName(name)
			.setStartTimeUnixNano(START)
			.setEndTimeUnixNano(START + 5_000_000_000L);
		if (parent != 0) {
			span.setParentSpanId(spanId(parent));
		}
		for (int i = 0; i < attributes.length; i += 2) {
			AnyValue.Builder value = AnyValue.newBuilder();
			if (attributes[i + 1] instanceof Long number) {
				value.setIntValue(number);
			}
			else if (attributes[i + 1] instanceof Double number) {
				value.setDoubleValue(number);
			}
			else {
				value.setStringValue((String) attributes[i + 1]);
			}
			span.addAttributes(KeyValue.newBuilder().setKey((String) attributes[i]).setValue(value));
		}
		return span.build();
	}

	private static ByteString spanId(int id) {
		return ByteString.copyFrom(new byte[] { 0, 0, 0, 0, 0, 0, 0, (byte) id });
	}

}
