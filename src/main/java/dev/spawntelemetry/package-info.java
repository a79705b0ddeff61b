/**
 * spawn-telemetry: records every spawn of a colony and its outcome, and answers per-model
 * and per-model × caste performance and routing decisions from them. One package per
 * feature ({@code spawn}, {@code stats}, {@code routing}), the domain and its storage
 * port ({@code telemetry}), the single writer and its backends ({@code store}), and the
 * HTTP edges ({@code web}, {@code problem}, {@code security}).
 */
@NullMarked
package dev.spawntelemetry;

import org.jspecify.annotations.NullMarked;
