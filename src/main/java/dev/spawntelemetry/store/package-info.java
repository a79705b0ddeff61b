/**
 * The telemetry state and everything that keeps it: the single writer that serializes
 * every mutation, the immutable snapshots reads are served from, and the stores that make
 * a state durable.
 */
@NullMarked
package dev.spawntelemetry.store;

import org.jspecify.annotations.NullMarked;
