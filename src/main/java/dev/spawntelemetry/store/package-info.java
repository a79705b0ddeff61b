/**
 * The engine every backend routes its writes through: one writer thread per process
 * ({@link dev.spawntelemetry.store.TelemetryWriter}) that takes the queued writes at
 * once, applies them to the {@link dev.spawntelemetry.store.WorkingState} (the rules of a
 * write), has the backend commit what the batch changed
 * ({@link dev.spawntelemetry.store.ChangeSet}) in one persist, publishes the new snapshot
 * and only then answers each write ({@link dev.spawntelemetry.store.GroupCommit}).
 */
@NullMarked
package dev.spawntelemetry.store;

import org.jspecify.annotations.NullMarked;
