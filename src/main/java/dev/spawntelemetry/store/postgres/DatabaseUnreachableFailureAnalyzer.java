package dev.spawntelemetry.store.postgres;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns a database the service cannot reach or log in to at start into what to do,
 * instead of the stack trace through Flyway and the connection pool.
 */
class DatabaseUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

	private final Environment environment;

	DatabaseUnreachableFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
		String state = (cause.getSQLState() != null) ? cause.getSQLState() : "";
		String url = this.environment.getProperty("spring.datasource.url", "(spring.datasource.url is not set)");
		String user = this.environment.getProperty("spring.datasource.username", "(none)");
		String action;
		if (state.startsWith("08")) {
			action = "Start PostgreSQL there, or correct spring.datasource.url (SPRING_DATASOURCE_URL); without "
					+ "telemetry.storage.type=postgres the service runs on its embedded JSON file.";
		}
		else if (state.startsWith("28")) {
			action = "Create the role or correct spring.datasource.username and spring.datasource.password "
					+ "(SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD); docs/operations.md shows both.";
		}
		else if (state.equals("3D000")) {
			action = "Create the database (createdb, or CREATE DATABASE … OWNER the service's role) or correct "
					+ "spring.datasource.url; the service creates its own tables.";
		}
		else {
			return null;
		}
		return new FailureAnalysis(
				"Cannot use the PostgreSQL database at " + url + " as user " + user + ": " + cause.getMessage(), action,
				cause);
	}

}
