package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.SpawnRecord;

/**
 * Spawns that left the decision log, kept for {@code retention} after their timestamp
 * (and at most {@code max-retained}, the first to leave going first), so that a retry, an
 * outcome or usage for them is still recognized. They live in {@code telemetry.retained},
 * one spawn per line (the last line of an id wins), apart from {@code telemetry.json}: a
 * checkpoint appends only the spawns that left since the last one, and the file is
 * rewritten only when most of its lines are dead. Until then, those spawns are in the
 * journal. Only the writer's thread touches it.
 */
final class RetainedSpawns {

	static final String FILE = "telemetry.retained";

	private final Journal log;

	private final Path compacted;

	private final FileFormat format = new FileFormat();

	private final FileFormatReader reader = new FileFormatReader();

	private final Duration retention;

	private final int max;

	private final Clock clock;

	private final Map<String, SpawnRecord> spawns;

	/**
	 * Spawns that left the log since the last checkpoint: durable in the journal only.
	 */
	private final Map<String, SpawnRecord> unwritten = new LinkedHashMap<>();

	private long lines;

	RetainedSpawns(Path directory, boolean fsync, Duration retention, int max, Clock clock) {
		this.log = new Journal(directory.resolve(FILE), fsync);
		this.compacted = directory.resolve(FILE + ".tmp");
		this.retention = retention;
		this.max = max;
		this.clock = clock;
		this.spawns = bounded(max);
	}

	Path file() {
		return this.log.file();
	}

	/**
	 * Reads the file. A torn tail (a line a crash cut short) is cut off. A file with an
	 * unreadable line between readable ones is moved aside whole and written anew with
	 * the spawns before that line; a spawn whose id is lost that way is counted again if
	 * it is retried.
	 * @return what had to be cut or set aside, or null
	 */
	@Nullable String load(DataDirectory directory) {
		try {
			Files.deleteIfExists(this.compacted);
			Journal.Contents contents = this.log.read();
			String unreadable = (contents.corruptMiddle()) ? "a line that fails its checksum" : null;
			for (byte[] line : contents.records()) {
				try {
					SpawnRecord spawn = this.reader.readSpawn(line);
					this.spawns.put(spawn.spawnId(), spawn);
					this.lines++;
				}
				catch (FileFormat.CorruptFileException ex) {
					unreadable = ex.getMessage();
					break;
				}
			}
			if (unreadable != null) {
				Path aside = directory.moveAside(this.log.file());
				compact();
				return "a line of " + this.log.file() + " cannot be read (" + unreadable + "); the file was moved to "
						+ aside + " and written anew with the " + this.spawns.size() + " spawns before that line";
			}
			if (contents.badLength() == 0) {
				return null;
			}
			compact();
			return "cut a torn tail of " + contents.badLength() + " bytes off " + this.log.file();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + this.log.file(), ex);
		}
	}

	/** A spawn kept beyond the log and within its retention, or null. */
	@Nullable SpawnRecord find(String spawnId) {
		SpawnRecord spawn = this.spawns.get(spawnId);
		return (spawn != null && !expired(spawn)) ? spawn : null;
	}

	/** Every spawn kept beyond the log, within its retention or not yet dropped. */
	Collection<SpawnRecord> all() {
		return java.util.Collections.unmodifiableCollection(this.spawns.values());
	}

	/** Spawns that left the log with a batch now durable in the journal. */
	void left(Collection<SpawnRecord> leaving) {
		for (SpawnRecord spawn : leaving) {
			this.spawns.put(spawn.spawnId(), spawn);
			this.unwritten.put(spawn.spawnId(), spawn);
		}
	}

	/**
	 * Makes the spawns that left since the last checkpoint durable here, before a
	 * checkpoint empties the journal that holds them; rewrites the file when most of its
	 * lines are dead.
	 */
	void beforeCheckpoint() throws IOException {
		Instant oldestKept = oldestKept();
		this.spawns.values().removeIf((spawn) -> spawn.timestamp().isBefore(oldestKept));
		this.unwritten.values().removeIf((spawn) -> spawn.timestamp().isBefore(oldestKept));
		if (this.lines > 2L * this.spawns.size() + 1000) {
			compact();
		}
		else if (!this.unwritten.isEmpty()) {
			List<byte[]> lines = new ArrayList<>(this.unwritten.size());
			this.unwritten.values().forEach((spawn) -> lines.add(this.format.writeSpawn(spawn)));
			this.log.append(lines);
			this.lines += lines.size();
		}
		this.unwritten.clear();
	}

	private void compact() throws IOException {
		List<byte[]> lines = new ArrayList<>(this.spawns.size());
		this.spawns.values().forEach((spawn) -> lines.add(this.format.writeSpawn(spawn)));
		this.log.replaceWith(lines, this.compacted);
		this.lines = lines.size();
		this.unwritten.clear();
	}

	private boolean expired(SpawnRecord spawn) {
		return spawn.timestamp().isBefore(oldestKept());
	}

	private Instant oldestKept() {
		return this.clock.instant().minus(this.retention);
	}

	/** In the order they left the log; beyond the bound, the first to leave goes. */
	private static Map<String, SpawnRecord> bounded(int max) {
		return new LinkedHashMap<>() {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, SpawnRecord> eldest) {
				return size() > max;
			}

		};
	}

}
