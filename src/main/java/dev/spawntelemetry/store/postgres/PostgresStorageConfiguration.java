package dev.spawntelemetry.store.postgres;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.store.WriterProperties;
import dev.spawntelemetry.telemetry.DecisionLogProperties;
import dev.spawntelemetry.telemetry.TelemetryLimits;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
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

	private static final Log logger = LogFactory.getLog(PostgresStorageConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	@DependsOnDatabaseInitialization
	TelemetryRows telemetryRows(DataSource dataSource) {
		return new TelemetryRows(new JdbcTemplate(dataSource));
	}

	@Bean
	TelemetryWriter telemetryWriter(TelemetryRows rows, DataSource dataSource, DecisionLogProperties log,
			TelemetryLimits limits, WriterProperties writer, Clock clock, MeterRegistry meters) {
		PostgresStateCommitter committer = new PostgresStateCommitter(rows, Transactions.on(dataSource),
				log.maxDecisions(), limits, clock, meters);
		return new TelemetryWriter(committer, writer, clock, meters);
	}

	/**
	 * Loads {@code telemetry.import.file} into the database and ends the process: 0 when
	 * imported or imported before, 2 when refused.
	 */
	@Bean
	@ConditionalOnProperty("telemetry.import.file")
	ApplicationRunner telemetryFileImport(TelemetryRows rows, DataSource dataSource, Environment environment,
			ConfigurableApplicationContext context) {
		return (arguments) -> {
			Path file = Path.of(environment.getRequiredProperty("telemetry.import.file"));
			boolean merge = environment.getProperty("telemetry.import.merge", Boolean.class, false);
			int exitCode;
			try {
				TelemetryFileImport.Result result = new TelemetryFileImport(rows, Transactions.on(dataSource).writes())
					.importFile(file, merge);
				logger
					.info(result.imported()
							? "Imported " + file + ": " + result.lifetimeSpawns() + " spawns in the aggregates, "
									+ result.decisions() + " decisions"
							: file + " was imported before; nothing changed");
				exitCode = 0;
			}
			catch (IllegalArgumentException | UncheckedIOException ex) {
				logger.error("Import refused, nothing changed: " + ex.getMessage());
				exitCode = 2;
			}
			int code = exitCode;
			System.exit(SpringApplication.exit(context, () -> code));
		};
	}

	@Bean
	PostgresTelemetryStorage postgresTelemetryStorage(TelemetryWriter writer, TelemetryRows rows, DataSource dataSource,
			DataSourceProperties dataSourceProperties, PostgresStorageProperties properties, DecisionLogProperties log,
			Clock clock) {
		return new PostgresTelemetryStorage(writer, rows, Transactions.on(dataSource), properties, log.maxDecisions(),
				clock, dataSourceProperties.determineUrl());
	}

}
