package dev.spawntelemetry.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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

	@Test
	void dockerfileBuildsALayeredNonRootImageWithItsDataInAVolume() throws IOException {
		List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
		List<String> stages = lines.stream().filter((line) -> line.startsWith("FROM ")).toList();

		assertThat(stages).hasSize(2);
		assertThat(stages.get(1)).matches("FROM eclipse-temurin:(21|25)-jre");
		assertThat(lines).anyMatch((line) -> line.contains("./mvnw") && line.contains("package"));
		assertThat(lines).anyMatch((line) -> line.contains("-Djarmode=tools") && line.contains("extract --layers"));
		assertThat(lines).anyMatch((line) -> line.matches("USER (?!root)\\S+"));
		assertThat(lines).contains("VOLUME /data");
		assertThat(lines).anyMatch((line) -> line.contains("TELEMETRY_STORAGE_DIR=/data"));
		assertThat(lines).contains("EXPOSE " + serverPort());
		assertThat(String.join("\n", lines)).containsPattern(
				"HEALTHCHECK[^\\n]*\\\\\\n\\s+CMD curl -fsS http://localhost:" + serverPort() + healthPath());
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
		List<?> healthcheck = (List<?>) map(service.get("healthcheck")).get("test");
		assertThat(healthcheck.get(1).toString()).contains("http://localhost:" + serverPort() + healthPath());
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
