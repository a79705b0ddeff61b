package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * Reads a telemetry file, ours or the ancestor's, for another backend to load.
 */
public final class TelemetryFiles {

	private TelemetryFiles() {
	}

	/**
	 * The state a file holds, with the batches of its journal ({@code telemetry.journal}
	 * beside it) applied, under version 0.
	 * @throws IllegalArgumentException if the file is not a telemetry file this build can
	 * read, saying why
	 * @throws UncheckedIOException if it cannot be read at all
	 */
	public static TelemetrySnapshot read(Path file) {
		return read(file, Integer.MAX_VALUE);
	}

	/**
	 * The state a file and its journal hold, as the file backend recovers it: the log cut
	 * to the newest {@code maxDecisions}.
	 */
	static TelemetrySnapshot read(Path file, int maxDecisions) {
		Journal journal = new Journal(file.resolveSibling(JsonFileStore.JOURNAL), false);
		byte[] content;
		try {
			// before its first checkpoint, a data directory holds its journal alone
			content = (Files.notExists(file) && Files.exists(journal.file())) ? null : Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
		try {
			FileFormat format = new FileFormat();
			FileFormat.Checkpoint checkpoint = (content != null) ? format.readCheckpoint(content)
					: new FileFormat.Checkpoint(TelemetrySnapshot.empty(), 0);
			Journal sealed = new Journal(file.resolveSibling(JsonFileStore.SEALED_JOURNAL), false);
			JournalReplay replay = JournalReplay.of(checkpoint, journal.read().after(sealed.read()), format,
					maxDecisions);
			if (replay.corruption() != null) {
				throw new IllegalArgumentException(journal.file() + " beside " + file + " holds " + replay.corruption()
						+ "; start the service on that directory once to set it aside");
			}
			return replay.snapshot();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the journal beside " + file, ex);
		}
		catch (CorruptTelemetryFileException ex) {
			throw new IllegalArgumentException(file + " is not a telemetry file: " + ex.getMessage(), ex);
		}
		catch (TelemetryFileTooNewException ex) {
			throw new IllegalArgumentException(ex.in(file).getMessage(), ex);
		}
	}

}
