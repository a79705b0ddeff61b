package dev.spawntelemetry.store.postgres;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.store.file.TelemetryFiles;
import dev.spawntelemetry.telemetry.MutableClock;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Moving in: a telemetry file loaded into a real PostgreSQL database, once.
 */
class FileImportTests {

	@TempDir
	Path directory;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

	private final PostgresReplicas replicas = new PostgresReplicas(this.clock);

	private HikariDataSource dataSource;

	@AfterEach
	void stop() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
		this.replicas.close();
	}

	@Test
	void loadsTheAncestorsFileOnceIntoAnEmptyDatabase() throws Exception {
		Path file = ancestorFile();
		TelemetrySnapshot expected = new TelemetryFiles().read(file);

		FileImport.Result first = importer().importFile(file, false);
		FileImport.Result again = importer().importFile(file, false);

		assertThat(first).isEqualTo(new FileImport.Result(true, 540, 2));
		assertThat(again.imported()).isFalse();
		PostgresStorage storage = this.replicas.start(1000, new Limits(1000, 200));
		assertThat(storage.current().models()).isEqualTo(expected.models());
		assertThat(storage.current().decisions()).isEqualTo(expected.decisions());
		assertThat(storage.current().lastUpdated()).isEqualTo(expected.lastUpdated());
		SpawnRecord open = expected.decisions().get(0);
		assertThat(storage
			.recordSpawn(new NewSpawn(open.spawnId(), open.timestamp(), open.task(), open.caste(), open.selectedModel(),
					open.source()))
			.join()
			.changed()).as("a retry of an imported spawn").isFalse();
	}

	@Test
	void refusesADatabaseThatHoldsTelemetryUnlessToldToMerge() throws Exception {
		Path file = ancestorFile();
		PostgresStorage storage = this.replicas.start(1000, new Limits(1000, 200));
		storage.recordSpawn(new NewSpawn("already", null, "t", "builder", "glm-5", "cli-override")).join();

		assertThatIllegalArgumentException().isThrownBy(() -> importer().importFile(file, false))
			.withMessageContaining("already holds telemetry (1 spawns)")
			.withMessageContaining("telemetry.import.merge=true");
		assertThat(importer().importFile(file, true).imported()).isTrue();

		TelemetrySnapshot merged = this.replicas.start(1000, new Limits(1000, 200)).current();
		assertThat(merged.models().get("glm-5").totalSpawns()).isEqualTo(501);
		assertThat(merged.models().get("glm-5").byCaste().get("builder").spawns()).isEqualTo(1);
		assertThat(merged.models().get("kimi-k2.5").byCaste().get("scout").completed()).isEqualTo(10);
		assertThat(merged.decisions()).hasSize(3);
	}

	@Test
	void refusesAFileThatIsNotTelemetryAndChangesNothing() throws IOException {
		Path file = Files.writeString(this.directory.resolve("telemetry.json"), "{\"models\": []}");

		assertThatIllegalArgumentException().isThrownBy(() -> importer().importFile(file, false))
			.withMessageContaining("is not a telemetry file");
		assertThat(this.replicas.start(1000, new Limits(1000, 200)).current().version()).isZero();
	}

	private FileImport importer() {
		if (this.dataSource == null) {
			this.dataSource = new HikariDataSource();
			this.dataSource.setJdbcUrl(this.replicas.database().url());
		}
		return new FileImport(new TelemetryFiles(), new StateRows(new JdbcTemplate(this.dataSource)),
				new BatchRows(new JdbcTemplate(this.dataSource)), Transactions.forImport(this.dataSource));
	}

	private Path ancestorFile() throws IOException, URISyntaxException {
		Path file = this.directory.resolve("telemetry.json");
		Files.copy(Path.of(getClass().getResource("/import/ancestor-telemetry.json").toURI()), file);
		return file;
	}

}
