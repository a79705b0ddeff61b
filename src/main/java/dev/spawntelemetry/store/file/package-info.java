/**
 * The embedded backend: one JSON file, replaced atomically and durably, behind a single
 * writer thread that applies every write, persists once per batch (group commit) and
 * publishes immutable snapshots. The file is locked against a second instance.
 */
@NullMarked
package dev.spawntelemetry.store.file;

import org.jspecify.annotations.NullMarked;
