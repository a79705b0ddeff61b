'use strict';

// A colony that speaks OpenTelemetry needs no client: the OpenTelemetry JS SDK's own
// exporters send its agent spans to the service, which records each as a spawn.

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');

const { SpanStatusCode, context, trace } = require('@opentelemetry/api');
const {
  BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor,
} = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter: JsonExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { OTLPTraceExporter: ProtobufExporter } = require('@opentelemetry/exporter-trace-otlp-proto');

const { startService } = require('./service');

const TOKEN = 'otel-node-token';

/** An agent's run as a GenAI framework traces it: one invoke_agent span, its tool calls below. */
function runAgent(tracer, { caste, model, tools = [], failed = false }) {
  const agent = tracer.startSpan(`invoke_agent ${caste}`, {
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': caste,
      'gen_ai.request.model': model,
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.usage.output_tokens': 100,
    },
  });
  const inside = trace.setSpan(context.active(), agent);
  for (const tool of tools) {
    tracer.startSpan(`execute_tool ${tool}`, {
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool },
    }, inside).end();
  }
  if (failed) {
    agent.setStatus({ code: SpanStatusCode.ERROR, message: 'gave up' });
    agent.setAttribute('error.type', 'max_turns');
  }
  agent.end();
  const { traceId, spanId } = agent.spanContext();
  return `otel-${traceId}-${spanId}`;
}

async function exported(exporter, run) {
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const ids = run(provider.getTracer('colony'));
  await provider.forceFlush();
  await provider.shutdown();
  return ids;
}

describe('OpenTelemetry JS exporters against a live service', () => {
  let service;

  before(async () => {
    service = await startService({ args: [`--telemetry.security.write-token=${TOKEN}`] });
  });

  after(async () => {
    await service.stop();
  });

  const options = () => ({ url: `${service.url}/v1/traces`, headers: { Authorization: `Bearer ${TOKEN}` } });

  test('the JSON exporter records an agent span with its tool calls and tokens', async () => {
    const id = await exported(new JsonExporter(options()),
      (tracer) => runAgent(tracer, { caste: 'builder', model: 'otel-js-json', tools: ['bash', 'edit', 'edit'] }));

    const spawn = await (await fetch(`${service.url}/spawns/${id}`)).json();
    assert.equal(spawn.caste, 'builder');
    assert.equal(spawn.selected_model, 'otel-js-json');
    assert.equal(spawn.source, 'otel');
    assert.equal(spawn.outcome, 'completed');
    assert.equal(spawn.tokens, 1000);
    assert.deepEqual(spawn.tools, { read: 0, grep: 0, edit: 2, bash: 1 });
  });

  test('the protobuf exporter with gzip records a failed agent with its reason, once however often it is sent', async () => {
    const finished = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(finished)] });
    const id = runAgent(provider.getTracer('colony'), { caste: 'watcher', model: 'otel-js-proto', failed: true });
    const exporter = new ProtobufExporter({ ...options(), compression: 'gzip' });

    for (let attempt = 0; attempt < 2; attempt++) {
      assert.equal((await sent(exporter, finished.getFinishedSpans())).code, 0);
    }
    await exporter.shutdown();

    const spawn = await (await fetch(`${service.url}/spawns/${id}`)).json();
    assert.equal(spawn.outcome, 'failed');
    assert.equal(spawn.outcome_reason, 'max_turns');
    const stats = await (await fetch(`${service.url}/stats/models/otel-js-proto`)).json();
    assert.equal(stats.total_spawns, 1);
    assert.equal(stats.failed_completions, 1);
  });

  test('without the write token the export is refused, not recorded', async () => {
    const finished = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(finished)] });
    const id = runAgent(provider.getTracer('colony'), { caste: 'scout', model: 'otel-js-anonymous' });
    const exporter = new JsonExporter({ url: `${service.url}/v1/traces` });

    const result = await sent(exporter, finished.getFinishedSpans());
    await exporter.shutdown();

    assert.notEqual(result.code, 0);
    assert.equal((await fetch(`${service.url}/spawns/${id}`)).status, 404);
  });
});

/** Sends finished spans as the SDK's span processors do, and answers the export's result. */
function sent(exporter, spans) {
  return new Promise((resolve) => exporter.export(spans, resolve));
}
