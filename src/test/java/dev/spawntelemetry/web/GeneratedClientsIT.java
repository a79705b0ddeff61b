package dev.spawntelemetry.web;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.annotation.Nonnull;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.RunningService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document as a user's client generator takes it: openapi-generator makes a
 * typescript-fetch client and a Java one from {@code /v3/api-docs}; each compiles (tsc
 * --strict, javac) with a program written against it, and the program, run against the
 * service, records a spawn and its outcome and reads every kind of answer back, typed as
 * the document says (required fields present, dates as dates, a model name with '/' in a
 * path). ./test.sh installs TypeScript into {@code .tools/openapi}; the build copies the
 * generator's jar.
 */
class GeneratedClientsIT {

	private static final Path GENERATOR = Path
		.of(System.getProperty("openapi-generator.jar", "target/tools/openapi-generator-cli.jar"))
		.toAbsolutePath();

	private static final Path PROGRAMS = Path.of("src/test/resources/generated-clients").toAbsolutePath();

	@TempDir
	Path work;

	@Test
	void aTypeScriptClientCompilesStrictAndReadsEveryAnswerTyped() throws Exception {
		Path tsc = OpenApiToolsIT.TOOLS.resolve("tsc");
		assertThat(tsc).as("run ./test.sh, which installs TypeScript").exists();
		try (RunningService service = RunningService.start(this.work.resolve("data"))) {
			Path project = Files.createDirectories(this.work.resolve("ts"));
			generate(service, "typescript-fetch", project.resolve("client"));
			Files.copy(PROGRAMS.resolve("main.ts"), project.resolve("main.ts"));

			run(project, tsc.toString(), "--strict", "--target", "es2020", "--module", "commonjs", "--lib",
					"es2020,dom", "--outDir", "out", "main.ts");
			List<String> answers = run(project, "node", "out/main.js", "http://127.0.0.1:" + service.port());

			assertThat(answers).containsExactly("spawn generated-ts-1 openrouter/anthropic/claude-sonnet-4.5 24",
					"outcome completed 1200 true", "read generated-ts-1 completed 0", "listed 1",
					"model openrouter/anthropic/claude-sonnet-4.5 1 1",
					"caste builder openrouter/anthropic/claude-sonnet-4.5", "trend hour 1 true", "summary 1 1",
					"route 2 true", "recommendation openrouter/anthropic/claude-sonnet-4.5 1");
		}
	}

	@Test
	void aJavaClientCompilesAndReadsEveryAnswerTyped() throws Exception {
		try (RunningService service = RunningService.start(this.work.resolve("data"))) {
			Path project = this.work.resolve("java");
			generate(service, "java", project, "--library", "native", "--additional-properties",
					"openApiNullable=false,useJakartaEe=true,hideGenerationTimestamp=true,"
							+ "invokerPackage=dev.example.telemetry,apiPackage=dev.example.telemetry.api,"
							+ "modelPackage=dev.example.telemetry.model");
			Path classes = Files.createDirectories(this.work.resolve("classes"));
			String classpath = String.join(File.pathSeparator, jarsOf(ObjectMapper.class, JsonFactory.class,
					JsonProperty.class, JavaTimeModule.class, Nonnull.class));
			List<String> arguments = new ArrayList<>(
					List.of("-d", classes.toString(), "-classpath", classpath, "-nowarn", "-proc:none"));
			try (Stream<Path> sources = Files.walk(project.resolve("src/main/java"))) {
				sources.filter((path) -> path.toString().endsWith(".java"))
					.forEach((path) -> arguments.add(path.toString()));
			}
			arguments.add(PROGRAMS.resolve("Main.java").toString());
			JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
			assertThat(javac.run(null, null, null, arguments.toArray(String[]::new)))
				.as("javac of the generated client")
				.isZero();

			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			List<String> answers = run(project, java, "-cp", classes + File.pathSeparator + classpath,
					"dev.example.telemetry.Main", "http://127.0.0.1:" + service.port());

			assertThat(answers).containsExactly("spawn generated-java-1 openrouter/anthropic/claude-sonnet-4.5 true",
					"outcome failed 800 true", "read generated-java-1 failed 0", "listed 1",
					"model openrouter/anthropic/claude-sonnet-4.5 1", "caste openrouter/anthropic/claude-sonnet-4.5",
					"trend 1", "route 2 true", "recommendation 1");
		}
	}

	private void generate(RunningService service, String generator, Path output, String... options)
			throws IOException, InterruptedException {
		assertThat(GENERATOR).as("./mvnw verify copies openapi-generator's jar").exists();
		Path document = this.work.resolve("openapi-" + generator + ".json");
		Files.writeString(document, service.api().get("/v3/api-docs").body());
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", GENERATOR.toString(),
				"generate", "-g", generator, "-i", document.toString(), "-o", output.toString()));
		command.addAll(List.of(options));
		run(this.work, command.toArray(String[]::new));
	}

	private List<String> run(Path directory, String... command) throws IOException, InterruptedException {
		Path output = this.work.resolve("output-" + System.nanoTime());
		Path errors = this.work.resolve("errors-" + System.nanoTime());
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectOutput(output.toFile())
			.redirectError(errors.toFile())
			.start();
		String what = String.join(" ", command);
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(what).isTrue();
		String printed = Files.readString(output, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(what + "\n" + printed + Files.readString(errors, StandardCharsets.UTF_8))
			.isZero();
		return printed.lines().toList();
	}

	private static List<String> jarsOf(Class<?>... types) throws URISyntaxException {
		List<String> jars = new ArrayList<>();
		for (Class<?> type : types) {
			jars.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
		}
		return jars;
	}

}
