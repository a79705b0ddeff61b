/**
 * OpenTelemetry ingestion: the OTLP/HTTP traces receiver, which records each GenAI
 * {@code invoke_agent} span as a spawn that has ended, so that a colony whose agent
 * framework exports spans needs no client of this service.
 */
@NullMarked
package dev.spawntelemetry.otlp;

import org.jspecify.annotations.NullMarked;
