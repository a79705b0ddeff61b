package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The append-only journal beside {@code telemetry.json}: one line per committed batch,
 * {@code <crc32c as 8 hex digits> <the batch as JSON>}. An append that fails is cut off
 * again, so that no partial line is ever followed by a good one; a line that a crash cut
 * short can only be the last.
 */
final class Journal {

	private final Path file;

	private final boolean fsync;

	/** The length of the journal as of its last good line. */
	private long size;

	/**
	 * An append failed and could not be cut off: the next persist must be a checkpoint.
	 */
	private boolean broken;

	Journal(Path file, boolean fsync) {
		this.file = file;
		this.fsync = fsync;
	}

	Path file() {
		return this.file;
	}

	long size() {
		return this.size;
	}

	boolean broken() {
		return this.broken;
	}

	/**
	 * Appends lines and forces them to the disk (fdatasync). Opened for each append, so
	 * that a journal that cannot be opened any more fails the batch that needs it.
	 * @throws IOException if they could not be made durable; the journal is then as it
	 * was
	 */
	void append(List<byte[]> jsons) throws IOException {
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		for (byte[] json : jsons) {
			bytes.write(line(json));
		}
		byte[] line = bytes.toByteArray();
		boolean created = Files.notExists(this.file);
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
			try {
				channel.position(this.size);
				ByteBuffer buffer = ByteBuffer.wrap(line);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				if (this.fsync) {
					channel.force(false);
				}
				this.size += line.length;
			}
			catch (IOException ex) {
				cutBack(channel);
				throw ex;
			}
		}
		if (created) {
			fsyncDirectory();
		}
	}

	/** Empties the journal, once a checkpoint holds everything in it. */
	void reset() throws IOException {
		boolean created = Files.notExists(this.file);
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
			channel.truncate(0);
			if (this.fsync) {
				channel.force(true);
			}
		}
		if (created) {
			fsyncDirectory();
		}
		this.size = 0;
		this.broken = false;
	}

	/**
	 * Moves the journal's lines aside to another file, for a checkpoint that holds them
	 * to delete once it is durable; the next append starts a new journal.
	 */
	void sealTo(Path sealed) throws IOException {
		if (Files.exists(this.file)) {
			Files.move(this.file, sealed, StandardCopyOption.ATOMIC_MOVE);
			fsyncDirectory();
		}
		this.size = 0;
		this.broken = false;
	}

	/**
	 * Replaces the journal's lines with others at once: written to a temporary file
	 * first, which then takes the journal's place.
	 */
	void replaceWith(List<byte[]> jsons, Path temporary) throws IOException {
		Journal fresh = new Journal(temporary, this.fsync);
		try {
			fresh.reset();
			fresh.append(jsons);
			Files.move(temporary, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
		fsyncDirectory();
		this.size = fresh.size;
		this.broken = false;
	}

	/** A file just made survives a power cut only once its directory's entry does too. */
	void fsyncDirectory() throws IOException {
		if (this.fsync) {
			DataDirectory.force(this.file.getParent());
		}
	}

	/**
	 * The journal's good lines, and what follows the last of them: nothing, a torn tail
	 * (a line cut short, only at the end) or a corrupt middle (a bad line with good lines
	 * after it).
	 */
	Contents read() throws IOException {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(this.file);
		}
		catch (NoSuchFileException ex) {
			return new Contents(List.of(), 0, 0, false);
		}
		List<byte[]> records = new ArrayList<>();
		int good = 0;
		int start = 0;
		while (start < bytes.length) {
			int end = indexOf(bytes, (byte) '\n', start);
			byte[] json = (end < 0) ? null : parse(bytes, start, end);
			if (json == null) {
				boolean goodLinesAfter = end >= 0 && hasGoodLine(bytes, end + 1);
				this.size = good;
				return new Contents(records, good, bytes.length - good, goodLinesAfter);
			}
			records.add(json);
			start = end + 1;
			good = start;
		}
		this.size = good;
		return new Contents(records, good, 0, false);
	}

	/** Cuts a torn tail off, keeping the good lines before it. */
	void cutAt(long length) throws IOException {
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.WRITE)) {
			channel.truncate(length);
			if (this.fsync) {
				channel.force(true);
			}
		}
		this.size = length;
	}

	private void cutBack(FileChannel channel) {
		try {
			channel.truncate(this.size);
			if (this.fsync) {
				channel.force(true);
			}
		}
		catch (IOException ex) {
			this.broken = true;
		}
	}

	private static byte[] line(byte[] json) {
		CRC32C crc = new CRC32C();
		crc.update(json);
		byte[] prefix = (HexFormat.of().toHexDigits((int) crc.getValue()) + " ").getBytes(StandardCharsets.US_ASCII);
		byte[] line = new byte[prefix.length + json.length + 1];
		System.arraycopy(prefix, 0, line, 0, prefix.length);
		System.arraycopy(json, 0, line, prefix.length, json.length);
		line[line.length - 1] = '\n';
		return line;
	}

	/** The JSON of a line whose checksum matches, or null. */
	private static byte[] parse(byte[] bytes, int start, int end) {
		if (end - start < 10 || bytes[start + 8] != ' ') {
			return null;
		}
		int expected;
		try {
			expected = HexFormat.fromHexDigits(new String(bytes, start, 8, StandardCharsets.US_ASCII));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		CRC32C crc = new CRC32C();
		crc.update(bytes, start + 9, end - start - 9);
		if ((int) crc.getValue() != expected) {
			return null;
		}
		byte[] json = new byte[end - start - 9];
		System.arraycopy(bytes, start + 9, json, 0, json.length);
		return json;
	}

	private static boolean hasGoodLine(byte[] bytes, int from) {
		int start = from;
		while (start < bytes.length) {
			int end = indexOf(bytes, (byte) '\n', start);
			if (end < 0) {
				return false;
			}
			if (parse(bytes, start, end) != null) {
				return true;
			}
			start = end + 1;
		}
		return false;
	}

	private static int indexOf(byte[] bytes, byte value, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == value) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * What the journal holds.
	 *
	 * @param records the JSON of each good line, in order
	 * @param goodLength the length up to the end of the last good line
	 * @param badLength the bytes after it
	 * @param corruptMiddle whether good lines follow the bad ones
	 */
	record Contents(List<byte[]> records, long goodLength, long badLength, boolean corruptMiddle) {

		/**
		 * The lines of a journal sealed for a checkpoint, then these: a sealed journal
		 * was whole when sealed, so anything unreadable in it is corrupt.
		 */
		Contents after(Contents sealed) {
			List<byte[]> all = new ArrayList<>(sealed.records());
			all.addAll(this.records);
			return new Contents(all, this.goodLength, this.badLength, this.corruptMiddle || sealed.badLength() > 0);
		}

	}

}
