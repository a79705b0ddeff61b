package dev.spawntelemetry.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service behind the real nginx with the deploy file's server block, as the
 * postgres profile runs it: what the service generates from the request (the API
 * document's server, so Swagger's "Try it out") names the balancer's host and port.
 */
class BehindTheLoadBalancerIT {

	@TempDir
	Path work;

	@Test
	void generatedUrlsNameTheBalancerNotTheReplica() throws Exception {
		int balancerPort = freePort();
		try (ServiceProcess replica = ServiceProcess.start(this.work.resolve("data"),
				"--server.forward-headers-strategy=framework")) {
			Process nginx = startNginx(balancerPort, replica.port());
			try {
				TestApi balancer = new TestApi(balancerPort);
				awaitAnswer(balancer);

				TestApi.Response docs = balancer.get("/v3/api-docs");

				assertThat(docs.status()).as(docs.body()).isEqualTo(200);
				assertThat(docs.json().get("servers").get(0).get("url").asString())
					.isEqualTo("http://localhost:" + balancerPort);
				assertThat(balancer.post("/spawns", "{\"caste\":\"builder\",\"model\":\"glm-5\"}").status())
					.isEqualTo(201);
			}
			finally {
				nginx.destroy();
				nginx.waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

	private Process startNginx(int balancerPort, int replicaPort) throws IOException {
		String block = Files.readString(Path.of("deploy/nginx/conf.d/spawn-telemetry.conf"))
			.replaceAll("replica-\\d:8080", "127.0.0.1:" + replicaPort)
			.replace("listen 80;", "listen 127.0.0.1:" + balancerPort + ";");
		Path conf = this.work.resolve("conf.d/spawn-telemetry.conf");
		Files.createDirectories(conf.getParent());
		Files.writeString(conf, block);
		Path main = this.work.resolve("nginx.conf");
		Files.writeString(main, """
				daemon off;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log;
				events {}
				http {
				    access_log off;
				    client_body_temp_path %1$s/t1;
				    proxy_temp_path %1$s/t2;
				    fastcgi_temp_path %1$s/t3;
				    uwsgi_temp_path %1$s/t4;
				    scgi_temp_path %1$s/t5;
				    include %2$s;
				}
				""".formatted(this.work, conf));
		String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
		return new ProcessBuilder(nginx, "-p", this.work.toString(), "-c", main.toString()).inheritIO().start();
	}

	private static void awaitAnswer(TestApi balancer) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
		while (Instant.now().isBefore(deadline)) {
			try {
				if (balancer.get("/nginx-health").status() == 200) {
					return;
				}
			}
			catch (UncheckedIOException ex) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("nginx did not answer within a minute");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
