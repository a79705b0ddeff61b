package dev.spawntelemetry.otlp;

/** The tool counters of a spawn, which an agent's tool calls add to. */
enum ToolKind {

	READ, GREP, EDIT, BASH

}
