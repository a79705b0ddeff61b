package dev.spawntelemetry.store.postgres;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;

import dev.spawntelemetry.TestPostgres;
import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.store.WriterProperties;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.Limits;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The PostgreSQL backend assembled as the application assembles it, on a new database:
 * one or more replicas in this JVM, each with its own pool, writer and refresh.
 */
final class PostgresReplicas implements AutoCloseable {

	private final Clock clock;

	private final List<AutoCloseable> started = new ArrayList<>();

	private TestPostgres.Database database;

	PostgresReplicas(Clock clock) {
		this.clock = clock;
	}

	TestPostgres.Database database() {
		if (this.database == null) {
			this.database = TestPostgres.createDatabase();
			Flyway.configure()
				.dataSource(this.database.url(), null, null)
				.javaMigrations(new KeptSpawnsIntoTimeBuckets(this.clock))
				.load()
				.migrate();
		}
		return this.database;
	}

	/** Starts one more replica on the database. */
	PostgresStorage start(int maxDecisions, Limits limits) {
		return start(maxDecisions, limits, Duration.ofDays(30));
	}

	PostgresStorage start(int maxDecisions, Limits limits, Duration retention) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(database().url());
		dataSource.setConnectionTimeout(1000);
		dataSource.setMaximumPoolSize(4);
		StateRows rows = new StateRows(new JdbcTemplate(dataSource));
		// lock and statement timeouts long enough for a test that holds a commit at a
		// lock
		// while it queues a batch behind it, on a slow machine
		PostgresStorageProperties properties = new PostgresStorageProperties(retention, Duration.ofMillis(100),
				Duration.ofHours(1), Duration.ofSeconds(15), Duration.ofSeconds(20), Duration.ofSeconds(20));
		Transactions transactions = Transactions.on(dataSource, properties);
		TelemetryWriter writer = new TelemetryWriter(
				new PostgresStateCommitter(rows, new BatchRows(new JdbcTemplate(dataSource)), transactions,
						maxDecisions, limits, HistoryProperties.DEFAULTS, this.clock, new SimpleMeterRegistry()),
				new WriterProperties(10_000, 512, Duration.ofMinutes(1)), this.clock, new SimpleMeterRegistry());
		PostgresStorage storage = new PostgresStorage(writer, rows, new TimeBucketRows(new JdbcTemplate(dataSource)),
				transactions, properties, HistoryProperties.DEFAULTS, maxDecisions, this.clock, database().name());
		writer.start();
		storage.start();
		this.started.add(() -> {
			storage.stop();
			writer.stop();
			dataSource.close();
		});
		return storage;
	}

	@Override
	public void close() {
		for (AutoCloseable replica : this.started) {
			try {
				replica.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		this.started.clear();
		if (this.database != null) {
			this.database.close();
			this.database = null;
		}
	}

}
