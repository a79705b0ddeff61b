package dev.spawntelemetry.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy files, checked by the real tools that will read them: nginx, Prometheus's
 * promtool and docker-compose, which parses a compose file without an engine. Debian's
 * packages nginx, prometheus and docker-compose; ./test.sh installs them when missing. An
 * integration test, so that the unit tests need a JDK alone.
 */
class DeployFilesToolsIT {

	static final Path ROOT = Path.of("").toAbsolutePath();

	@TempDir
	Path work;

	@Test
	void nginxAcceptsTheServerBlockInAConfDirectory() throws Exception {
		Path conf = this.work.resolve("conf.d/spawn-telemetry.conf");
		Files.createDirectories(conf.getParent());
		// the compose network's names, resolved here as they would be there
		Files.writeString(conf, Files.readString(ROOT.resolve("deploy/nginx/conf.d/spawn-telemetry.conf"))
			.replaceAll("replica-\\d", "127.0.0.1"));
		Path main = this.work.resolve("nginx.conf");
		Files.writeString(main,
				"""
						pid %s;
						error_log %s;
						events {}
						http {
						    access_log off;
						    client_body_temp_path %s;
						    proxy_temp_path %s;
						    fastcgi_temp_path %s;
						    uwsgi_temp_path %s;
						    scgi_temp_path %s;
						    include %s;
						}
						""".formatted(this.work.resolve("nginx.pid"), this.work.resolve("error.log"),
						this.work.resolve("t1"), this.work.resolve("t2"), this.work.resolve("t3"),
						this.work.resolve("t4"), this.work.resolve("t5"), conf));

		Run nginx = run(tool("nginx", "/usr/sbin/nginx"), "-t", "-p", this.work.toString(), "-c", main.toString());

		assertThat(nginx.exitCode()).as(nginx.output()).isZero();
		assertThat(nginx.output()).contains("syntax is ok", "test is successful");
	}

	@Test
	void promtoolAcceptsThePrometheusConfigurationWhichScrapesEveryReplica() throws Exception {
		Path config = ROOT.resolve("deploy/prometheus/prometheus.yml");

		Run promtool = run(tool("promtool", "/usr/bin/promtool"), "check", "config", config.toString());

		assertThat(promtool.exitCode()).as(promtool.output()).isZero();
		assertThat(Files.readString(config)).contains("spawn-telemetry:8080", "replica-1:8080", "replica-2:8080");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "postgres", "monitoring" })
	void dockerComposeParsesEveryProfile(String profile) throws Exception {
		List<String> command = new ArrayList<>(List.of(tool("docker-compose", "/usr/bin/docker-compose")));
		if (!profile.isEmpty()) {
			command.addAll(List.of("--profile", profile));
		}
		command.addAll(List.of("-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q"));

		Run compose = run(command.toArray(String[]::new));

		assertThat(compose.exitCode()).as(compose.output()).isZero();
	}

	private static String tool(String name, String debianPath) {
		if (Files.isExecutable(Path.of(debianPath))) {
			return debianPath;
		}
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (Files.isExecutable(Path.of(dir, name))) {
				return Path.of(dir, name).toString();
			}
		}
		throw new IllegalStateException(name + " is needed to check the deploy files: ./test.sh installs it "
				+ "(Debian's packages nginx, prometheus and docker-compose)");
	}

	private Run run(String... command) throws IOException, InterruptedException {
		Path output = this.work.resolve("output-" + System.nanoTime());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
		return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
	}

	private record Run(int exitCode, String output) {

	}

}
