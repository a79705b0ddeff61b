package dev.spawntelemetry.store.postgres;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;

/**
 * The operator's command {@code --telemetry.import.file=…}: loads the file into the
 * database and ends the process, 0 when imported or imported before, 2 when refused, with
 * a one-line reason and nothing changed. The service itself never starts listening.
 */
final class FileImportCommand implements ApplicationRunner, ExitCodeGenerator {

	private static final Log logger = LogFactory.getLog(FileImportCommand.class);

	private final FileImport fileImport;

	private final Path file;

	private final boolean merge;

	private final ConfigurableApplicationContext context;

	private int exitCode;

	FileImportCommand(FileImport fileImport, Path file, boolean merge, ConfigurableApplicationContext context) {
		this.fileImport = fileImport;
		this.file = file;
		this.merge = merge;
		this.context = context;
	}

	@Override
	public void run(ApplicationArguments arguments) {
		this.exitCode = importFile();
		// a command, not a service: end as its verdict says, the context closed first
		System.exit(SpringApplication.exit(this.context));
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

	private int importFile() {
		try {
			FileImport.Result result = this.fileImport.importFile(this.file, this.merge);
			logger
				.info(result.imported()
						? "Imported " + this.file + ": " + result.lifetimeSpawns() + " spawns in the aggregates, "
								+ result.decisions() + " decisions"
						: this.file + " was imported before; nothing changed");
			return 0;
		}
		catch (IllegalArgumentException | UncheckedIOException ex) {
			logger.error("Import refused, nothing changed: " + ex.getMessage());
			return 2;
		}
		catch (DataAccessException ex) {
			logger.error("Import refused, nothing changed: the database did not take the file: "
					+ firstLine(ex.getMostSpecificCause().getMessage()));
			return 2;
		}
	}

	private static String firstLine(@Nullable String message) {
		String text = String.valueOf(message).strip();
		int end = text.indexOf('\n');
		return (end < 0) ? text : text.substring(0, end).strip();
	}

}
