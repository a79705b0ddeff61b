package dev.spawntelemetry.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs where this is built, so what can be checked of the Dockerfile and
 * docker-compose.yml without one is checked here: that they agree with each other and
 * with how the service is configured.
 */
class ContainerFilesTests {

	static final Path ROOT = Path.of("").toAbsolutePath();

	/**
	 * What eclipse-temurin:17-jre (Ubuntu) is known to ship on its PATH; curl is not
	 * counted on (the Temurin 25 images dropped it, adoptium-support#1413), so a check
	 * that needs it must install it.
	 */
	static final Set<String> BASE_IMAGE_PROGRAMS = Set.of("sh", "java");

	static final Set<String> SHELL_BUILTINS = Set.of("exit", "test", "[", "true", "false", "echo");

	@Test
	void dockerfileBuildsALayeredNonRootImageWithItsDataInAVolume() throws IOException {
		List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
		List<String> stages = lines.stream().filter((line) -> line.startsWith("FROM ")).toList();

		assertThat(stages).hasSize(2);
		// the image runs on the Java major the build and every test run on
		assertThat(stages.get(0)).isEqualTo("FROM eclipse-temurin:17-jdk AS build");
		assertThat(stages.get(1)).isEqualTo("FROM eclipse-temurin:17-jre");
		assertThat(lines).anyMatch((line) -> line.contains("./mvnw") && line.contains("package"));
		assertThat(lines).anyMatch((line) -> line.contains("-Djarmode=tools") && line.contains("extract --layers"));
		assertThat(lines).anyMatch((line) -> line.matches("USER (?!root)\\S+"));
		assertThat(lines).contains("VOLUME /data");
		assertThat(lines).anyMatch((line) -> line.contains("TELEMETRY_STORAGE_DIR=/data"));
		assertThat(lines).contains("EXPOSE " + serverPort());
		assertThat(healthcheck(lines))
			.contains("http://localhost:${MANAGEMENT_SERVER_PORT:-" + serverPort() + "}" + healthPath() + "/liveness");
		// read by the java launcher only, so jcmd and the like print no "Picked up" line
		assertThat(lines).anyMatch((line) -> line.matches("\\s*JDK_JAVA_OPTIONS=\".*-XX:\\+ExitOnOutOfMemoryError.*"))
			.noneMatch((line) -> line.contains("JAVA_TOOL_OPTIONS"));
	}

	@Test
	void dockerignoreKeepsBuildOutputHistoryAndDataOutOfTheBuildContext() throws IOException {
		List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"))
			.stream()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.toList();

		assertThat(ignored).contains(".git", "target", "data", "**/node_modules");
		List<String> copied = Files.readAllLines(ROOT.resolve("Dockerfile"))
			.stream()
			.filter((line) -> line.startsWith("COPY ") && !line.contains("--from="))
			.flatMap((line) -> Stream.of(line.substring(5).trim().split("\\s+")))
			.toList();
		assertThat(copied).as("what the build copies is not ignored").doesNotContainAnyElementsOf(ignored);
	}

	@Test
	void postgresProfileRunsTwoReplicasOnOneDatabaseBehindALoadBalancer() throws IOException {
		Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
		for (String name : List.of("postgres", "replica-1", "replica-2", "load-balancer")) {
			assertThat(map(services.get(name)).get("profiles")).as(name).isEqualTo(List.of("postgres"));
			assertThat(map(services.get(name))).as(name).containsKey("healthcheck");
		}
		Map<String, Object> postgres = map(map(services.get("postgres")).get("environment"));
		for (String name : List.of("replica-1", "replica-2")) {
			Map<String, Object> replica = map(services.get(name));
			Map<String, Object> environment = map(replica.get("environment"));
			assertThat(environment.get("TELEMETRY_STORAGE_TYPE")).isEqualTo("postgres");
			assertThat(environment.get("SPRING_DATASOURCE_URL"))
				.isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
			assertThat(environment.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
			assertThat(environment.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
			assertThat(replica.get("healthcheck")).isEqualTo(map(services.get("spawn-telemetry")).get("healthcheck"));
			assertThat(map(replica.get("depends_on"))).containsKey("postgres");
		}
		String nginx = Files.readString(ROOT.resolve("deploy/nginx/conf.d/spawn-telemetry.conf"));
		assertThat(nginx).contains("server replica-1:" + serverPort(), "server replica-2:" + serverPort());
		List<?> loadBalancerCheck = (List<?>) map(map(services.get("load-balancer")).get("healthcheck")).get("test");
		assertThat(programsRunBy(loadBalancerCheck.get(1).toString())).as("busybox in nginx's Alpine image")
			.containsExactly("wget");
		assertThat(nginx).contains("location = /nginx-health");
	}

	@Test
	void healthChecksRunOnlyProgramsTheRuntimeImageHas() throws IOException {
		List<String> dockerfile = Files.readAllLines(ROOT.resolve("Dockerfile"));
		List<String> installed = packagesInstalledInTheFinalStage(dockerfile);
		Map<String, String> checks = Map.of("Dockerfile HEALTHCHECK", healthcheck(dockerfile),
				"docker-compose.yml healthcheck", composeHealthcheck());

		checks.forEach((where, command) -> {
			for (String program : programsRunBy(command)) {
				assertThat(BASE_IMAGE_PROGRAMS.contains(program) || installed.contains(program))
					.as("%s runs '%s', which the runtime image %s does not ship and the Dockerfile's final stage "
							+ "does not install (installed: %s)", where, program, runtimeImage(dockerfile), installed)
					.isTrue();
			}
		});
	}

	@Test
	void composeRunsTheServiceWithAVolumeAndAHealthcheckOnActuatorHealth() throws IOException {
		Map<String, Object> compose = yaml("docker-compose.yml");
		Map<String, Object> services = map(compose.get("services"));
		Map<String, Object> service = map(services.get("spawn-telemetry"));

		assertThat(service.get("ports")).isEqualTo(List.of(serverPort() + ":" + serverPort()));
		Map<String, Object> environment = map(service.get("environment"));
		assertThat(environment.get("TELEMETRY_STORAGE_DIR")).isEqualTo("/data");
		assertThat(service.get("volumes")).isEqualTo(List.of("telemetry-data:/data"));
		assertThat(map(compose.get("volumes"))).containsKey("telemetry-data");
		assertThat(composeHealthcheck())
			.contains("http://localhost:${MANAGEMENT_SERVER_PORT:-" + serverPort() + "}" + healthPath() + "/readiness");
	}

	@Test
	void monitoringProfileScrapesThePrometheusEndpointAndProvisionsTheDashboard() throws IOException {
		Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
		for (String name : List.of("prometheus", "grafana")) {
			assertThat(map(services.get(name)).get("profiles")).isEqualTo(List.of("monitoring"));
		}
		assertThat(map(services.get("spawn-telemetry"))).doesNotContainKey("profiles");

		Map<String, Object> scrape = map(
				((List<?>) yaml("deploy/prometheus/prometheus.yml").get("scrape_configs")).get(0));
		assertThat(scrape.get("metrics_path")).isEqualTo(actuatorBasePath() + "/prometheus");
		Map<String, Object> targets = map(((List<?>) scrape.get("static_configs")).get(0));
		assertThat(targets.get("targets")).isEqualTo(List.of("spawn-telemetry:" + serverPort()));
		assertThat(applicationProperties().getProperty("management.endpoints.web.exposure.include"))
			.contains("prometheus");

		List<?> grafanaVolumes = (List<?>) map(services.get("grafana")).get("volumes");
		for (Object volume : grafanaVolumes) {
			String source = volume.toString().split(":")[0];
			if (source.startsWith("./")) {
				assertThat(ROOT.resolve(source.substring(2))).as(source).exists();
			}
		}
	}

	/**
	 * The HEALTHCHECK's command, its continuation lines joined, as the shell runs it.
	 */
	private static String healthcheck(List<String> dockerfile) {
		String joined = String.join("\n", dockerfile).replace("\\\n", " ");
		Matcher healthcheck = Pattern.compile("^HEALTHCHECK .*?CMD (.*)$", Pattern.MULTILINE).matcher(joined);
		assertThat(healthcheck.find()).as("the Dockerfile has a HEALTHCHECK").isTrue();
		return healthcheck.group(1).trim();
	}

	/** The compose healthcheck's command, as its container's shell runs it. */
	private static String composeHealthcheck() throws IOException {
		Map<String, Object> service = map(map(yaml("docker-compose.yml").get("services")).get("spawn-telemetry"));
		List<?> test = (List<?>) map(service.get("healthcheck")).get("test");
		assertThat(test.get(0)).as("a healthcheck run by the container's shell").isEqualTo("CMD-SHELL");
		// $$ is how compose writes a $ that the container's shell, not compose, expands
		return test.get(1).toString().replace("$$", "$");
	}

	/**
	 * The first word of every command in a shell command line, shell builtins left out.
	 */
	static List<String> programsRunBy(String commandLine) {
		String withoutQuotes = commandLine.replaceAll("\"[^\"]*\"|'[^']*'", "ARG");
		return Stream.of(withoutQuotes.split("\\|\\||&&|;|\\|"))
			.map(String::trim)
			.filter((command) -> !command.isEmpty())
			.map((command) -> command.split("\\s+")[0])
			.filter((program) -> !SHELL_BUILTINS.contains(program))
			.toList();
	}

	private static List<String> packagesInstalledInTheFinalStage(List<String> dockerfile) {
		String finalStage = String.join("\n", dockerfile.subList(lastFrom(dockerfile), dockerfile.size()))
			.replace("\\\n", " ");
		List<String> packages = new ArrayList<>();
		Matcher install = Pattern.compile("apt-get install((?:\\s+[-\\w.+:=]+)+)").matcher(finalStage);
		while (install.find()) {
			Stream.of(install.group(1).trim().split("\\s+"))
				.filter((word) -> !word.startsWith("-"))
				.forEach(packages::add);
		}
		return packages;
	}

	private static String runtimeImage(List<String> dockerfile) {
		return dockerfile.get(lastFrom(dockerfile)).substring("FROM ".length()).split("\\s+")[0];
	}

	private static int lastFrom(List<String> dockerfile) {
		for (int i = dockerfile.size() - 1; i >= 0; i--) {
			if (dockerfile.get(i).startsWith("FROM ")) {
				return i;
			}
		}
		throw new AssertionError("The Dockerfile has no FROM");
	}

	private static String healthPath() {
		return actuatorBasePath() + "/health";
	}

	private static String actuatorBasePath() {
		return applicationProperties().getProperty("management.endpoints.web.base-path", "/actuator");
	}

	private static String serverPort() {
		return applicationProperties().getProperty("server.port", "8080");
	}

	private static Properties applicationProperties() {
		Properties properties = new Properties();
		try (InputStream in = Files.newInputStream(ROOT.resolve("src/main/resources/application.properties"))) {
			properties.load(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return properties;
	}

	private static Map<String, Object> yaml(String file) throws IOException {
		try (InputStream in = Files.newInputStream(ROOT.resolve(file))) {
			return new Yaml().load(in);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
