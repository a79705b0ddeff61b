package dev.spawntelemetry.store.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestDataDirectories;
import dev.spawntelemetry.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged import, run as an operator runs it, refuses a file it cannot load with
 * exit code 2 and a one-line reason, changing nothing and printing no stack trace.
 */
class ImportRefusalIT {

	/**
	 * A task with U+0000 in it, which the ancestor wrote and PostgreSQL's text cannot
	 * hold.
	 */
	private static final String NUL_IN_TASK = """
			{"version":"1.0","last_updated":"2026-05-01T10:00:00Z",
			 "models":{"kimi-k2.5":{"total_spawns":1,"successful_completions":0,"failed_completions":0,"blocked":0,
			   "by_caste":{"builder":{"spawns":1,"success":0,"failures":0,"blocked":0}}}},
			 "routing_decisions":[{"timestamp":"2026-05-01T10:00:00Z","task":"fix\\u0000 the parser","caste":"builder",
			   "selected_model":"kimi-k2.5","source":"task-based"}]}
			""";

	@ParameterizedTest
	@ValueSource(strings = { "nul", "not-json" })
	void refusesWithExitCodeTwoAndOneLine(String kind) throws Exception {
		try (TestPostgres.Database database = TestPostgres.createDatabase()) {
			Path data = TestDataDirectories.create();
			Path file = data.resolve("telemetry-to-import.json");
			Files.writeString(file, "nul".equals(kind) ? NUL_IN_TASK : "{\"models\": [");

			ServiceProcess importing = ServiceProcess.launch(data, "--telemetry.storage.type=postgres",
					"--spring.datasource.url=" + database.url(), "--telemetry.import.file=" + file);
			assertThat(importing.process().waitFor(3, TimeUnit.MINUTES)).isTrue();
			String output = importing.output();

			assertThat(importing.process().exitValue()).as(output).isEqualTo(2);
			assertThat(output).contains("Import refused, nothing changed: ");
			assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Application run failed");
			if ("nul".equals(kind)) {
				assertThat(output).contains("U+0000");
			}
			try (Connection connection = database.connect();
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM spawns) + "
							+ "(SELECT count(*) FROM model_stats) + (SELECT count(*) FROM imports)")) {
				rows.next();
				assertThat(rows.getLong(1)).as("nothing changed").isZero();
			}
		}
	}

}
