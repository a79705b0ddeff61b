package dev.spawntelemetry.store.postgres;

import java.nio.file.Path;
import java.time.Clock;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import dev.spawntelemetry.store.TelemetryFileReader;
import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.store.WriterProperties;
import dev.spawntelemetry.telemetry.DecisionLogProperties;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.Limits;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The PostgreSQL backend ({@code telemetry.storage.type=postgres}), for several replicas
 * on one database. Flyway migrates the schema at start; replicas starting at once migrate
 * one after another under Flyway's lock.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "telemetry.storage.type", havingValue = "postgres")
class PostgresStorageConfiguration {

	@Bean
	@DependsOnDatabaseInitialization
	StateRows telemetryRows(DataSource dataSource) {
		return new StateRows(new JdbcTemplate(dataSource));
	}

	@Bean
	@DependsOnDatabaseInitialization
	BatchRows batchRows(DataSource dataSource) {
		return new BatchRows(new JdbcTemplate(dataSource));
	}

	@Bean
	@DependsOnDatabaseInitialization
	TimeBucketRows timeBucketRows(DataSource dataSource) {
		return new TimeBucketRows(new JdbcTemplate(dataSource));
	}

	/** Counts the spawns kept when time buckets came into their buckets, once. */
	@Bean
	KeptSpawnsIntoTimeBuckets keptSpawnsIntoTimeBuckets(Clock clock) {
		return new KeptSpawnsIntoTimeBuckets(clock);
	}

	@Bean
	Transactions transactions(DataSource dataSource, PostgresStorageProperties properties) {
		return Transactions.on(dataSource, properties);
	}

	@Bean
	TelemetryWriter telemetryWriter(StateRows rows, BatchRows batches, Transactions transactions,
			DecisionLogProperties log, Limits limits, HistoryProperties history, WriterProperties writer, Clock clock,
			MeterRegistry meters) {
		PostgresStateCommitter committer = new PostgresStateCommitter(rows, batches, transactions, log.maxDecisions(),
				limits, history, clock, meters);
		return new TelemetryWriter(committer, writer, clock, meters);
	}

	/** The import of {@code telemetry.import.file}, an operator's command. */
	@Bean
	@ConditionalOnProperty("telemetry.import.file")
	FileImportCommand fileImportCommand(TelemetryFileReader files, StateRows rows, BatchRows batches,
			DataSource dataSource, Environment environment, ConfigurableApplicationContext context) {
		return new FileImportCommand(new FileImport(files, rows, batches, Transactions.forImport(dataSource)),
				Path.of(environment.getRequiredProperty("telemetry.import.file")),
				environment.getProperty("telemetry.import.merge", Boolean.class, false), context);
	}

	@Bean
	PostgresStorage postgresTelemetryStorage(TelemetryWriter writer, StateRows rows, TimeBucketRows buckets,
			Transactions transactions, DataSourceProperties dataSourceProperties, PostgresStorageProperties properties,
			HistoryProperties history, DecisionLogProperties log, Clock clock) {
		return new PostgresStorage(writer, rows, buckets, transactions, properties, history, log.maxDecisions(), clock,
				dataSourceProperties.determineUrl());
	}

}
