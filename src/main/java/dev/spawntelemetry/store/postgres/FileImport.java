package dev.spawntelemetry.store.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.store.ChangeSet.CasteKey;
import dev.spawntelemetry.store.TelemetryFileReader;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.TimeCell;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads a {@code telemetry.json} (ours or the ancestor's) into the database in one
 * transaction: its lifetime aggregates and its decision log. The same file again changes
 * nothing; into a database that already holds telemetry only when told to merge, and then
 * its counts are added and its spawns not already there are kept.
 */
final class FileImport {

	private final TelemetryFileReader files;

	private final StateRows rows;

	private final BatchRows batches;

	private final TransactionTemplate transactions;

	FileImport(TelemetryFileReader files, StateRows rows, BatchRows batches, TransactionTemplate transactions) {
		this.files = files;
		this.rows = rows;
		this.batches = batches;
		this.transactions = transactions;
	}

	/**
	 * Imports a file.
	 * @throws IllegalArgumentException if the file cannot be read as telemetry, or the
	 * database holds telemetry and {@code merge} is not set; nothing is imported
	 */
	Result importFile(Path file, boolean merge) {
		TelemetrySnapshot imported = this.files.read(file);
		refuseWhatTheDatabaseCannotStore(imported);
		String sha256 = sha256(file);
		return this.transactions.execute((status) -> {
			long version = this.rows.lockState();
			if (this.rows.imported(sha256)) {
				return new Result(false, 0, 0);
			}
			TelemetrySnapshot present = this.rows.load(1);
			boolean empty = version == 0 && present.models().isEmpty() && present.decisions().isEmpty();
			if (!empty && !merge) {
				throw new IllegalArgumentException("The database already holds telemetry (" + present.totalSpawns()
						+ " spawns); import into an empty database, or add --telemetry.import.merge=true to add the "
						+ "file's counts to what it holds");
			}
			Map<String, ModelStats> models = new HashMap<>();
			imported.models()
				.forEach((model, stats) -> models.put(model,
						present.models().getOrDefault(model, ModelStats.NONE).plus(stats)));
			Map<CasteKey, CasteStats> castes = new LinkedHashMap<>();
			imported.models()
				.forEach((model, stats) -> stats.byCaste()
					.keySet()
					.forEach(
							(caste) -> castes.put(new CasteKey(model, caste), models.get(model).byCaste().get(caste))));
			Set<String> existing = this.rows
				.existingSpawnIds(imported.decisions().stream().map(SpawnRecord::spawnId).toList());
			List<SpawnRecord> spawns = imported.decisions()
				.stream()
				.filter((spawn) -> !existing.contains(spawn.spawnId()))
				.toList();
			Map<TimeCell, CasteStats> cells = new HashMap<>();
			Instant now = Instant.now();
			spawns.stream()
				.filter((spawn) -> imported.models().containsKey(spawn.selectedModel()))
				.forEach((spawn) -> KeptSpawnsIntoTimeBuckets.count(spawn, now, cells));
			// the state is locked: nothing else can have committed since
			Set<String> created = spawns.stream().map(SpawnRecord::spawnId).collect(Collectors.toSet());
			this.batches.write(new ChangeSet(spawns, created, castes, models, cells, List.of()), version,
					latest(present.lastUpdated(), imported.lastUpdated()), UUID.randomUUID());
			this.rows.recordImport(sha256, file.toString());
			return new Result(true, imported.totalSpawns(), spawns.size());
		});
	}

	/**
	 * PostgreSQL's text cannot hold U+0000, which a JSON string can (and the ancestor
	 * wrote): say where, rather than let the database refuse the whole file mid-way.
	 */
	private static void refuseWhatTheDatabaseCannotStore(TelemetrySnapshot imported) {
		imported.models().forEach((model, stats) -> {
			refuseNul("the model name " + shown(model), model);
			stats.byCaste().keySet().forEach((caste) -> refuseNul("a caste name of model " + model, caste));
		});
		for (SpawnRecord spawn : imported.decisions()) {
			String where = "spawn " + shown(spawn.spawnId());
			refuseNul("the task of " + where, spawn.task());
			refuseNul("the caste of " + where, spawn.caste());
			refuseNul("the model of " + where, spawn.selectedModel());
			refuseNul("the source of " + where, spawn.source());
			refuseNul("the id of " + where, spawn.spawnId());
		}
	}

	/** A name quoted for a log line, its control characters escaped. */
	private static String shown(String name) {
		StringBuilder shown = new StringBuilder("'");
		name.codePoints()
			.limit(64)
			.forEach((c) -> shown
				.append(Character.isISOControl(c) ? String.format("\\u%04X", c) : Character.toString(c)));
		return shown.append(name.codePointCount(0, name.length()) > 64 ? "…'" : "'").toString();
	}

	private static void refuseNul(String what, String text) {
		if (text.indexOf('\u0000') >= 0) {
			throw new IllegalArgumentException(
					what + " contains the character U+0000, which PostgreSQL cannot store; remove it from the file");
		}
	}

	private static @Nullable Instant latest(@Nullable Instant a, @Nullable Instant b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.isAfter(b)) ? a : b;
	}

	private static String sha256(Path file) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What an import did.
	 *
	 * @param imported false when the same file had been imported before
	 * @param lifetimeSpawns the spawns the file's aggregates count
	 * @param decisions the spawns of its log that were added
	 */
	record Result(boolean imported, long lifetimeSpawns, int decisions) {

	}

}
