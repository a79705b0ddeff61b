/**
 * The embedded backend: the state in a data directory, behind the single writer.
 *
 * <pre>
 * &lt;telemetry.storage.dir&gt;/               locked by the running service (.lock)
 *   telemetry.json             the checkpoint: the whole state as of batch journal_seq, in the
 *                              ancestor's format at its top level (+ version, store_id,
 *                              journal_seq, time_buckets)
 *   telemetry.journal          the batches committed since, one line each:
 *                              &lt;CRC-32C, 8 hex digits&gt; &lt;the batch as JSON, with seq and store_id&gt;\n
 *   telemetry.journal.sealed   the journal a checkpoint in progress holds
 *   telemetry.retained         spawns that left the decision log, kept for their retention,
 *                              one line each, framed like the journal
 *   telemetry.json.tmp         a checkpoint being written
 *   &lt;file&gt;.corrupt-&lt;time&gt;     a file that could not be read, moved aside, never deleted
 * </pre>
 *
 * A batch ({@link JsonFileStore#persist}) is appended to the journal and forced to the
 * disk before any of its writes is answered; the first batch of a new directory, and a
 * batch after a journal that could not be appended to, is a checkpoint instead. Every 4
 * MB of journal (or as many bytes as the file), and after a quiet second, a checkpoint in
 * the background seals the journal, writes the state to {@code telemetry.json.tmp},
 * forces it, renames it over {@code telemetry.json}, forces the directory and deletes the
 * sealed journal ({@link CheckpointFile}); the spawns that left the log since the last
 * one are appended to {@code telemetry.retained} first ({@link RetainedSpawns}). At
 * start, {@link FileRecovery} reads the checkpoint and applies the later batches of the
 * sealed journal and the journal, each once: a torn last line is cut off, an unreadable
 * line with good ones after it, a batch out of sequence or one of another directory's
 * journal sets the journal aside ({@link DataDirectory}). A crash at any moment leaves
 * either the old state or the new one of every batch.
 * <p>
 * What the files hold is written by {@link FileFormat} and read back, every field
 * checked, by {@link FileFormatReader}; {@link TelemetryFiles} reads a directory without
 * holding it, for the PostgreSQL backend's import.
 */
@NullMarked
package dev.spawntelemetry.store.file;

import org.jspecify.annotations.NullMarked;
