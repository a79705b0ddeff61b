package dev.spawntelemetry.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokensIT {

	static final String SPAWN = "{\"caste\":\"builder\",\"model\":\"kimi-k2.5\"}";

	@TempDir
	Path dataDirectory;

	@Test
	void writeTokenGuardsWritesAndLeavesReadsOpen() {
		try (RunningService service = RunningService.start(this.dataDirectory,
				"--telemetry.security.write-token=s3cret-write")) {
			TestApi api = service.api();

			assertUnauthorized(api.send("POST", "/spawns", SPAWN, Map.of()));
			assertUnauthorized(api.send("POST", "/spawns", SPAWN, Map.of("Authorization", "Bearer wrong")));
			assertUnauthorized(api.send("POST", "/spawns", SPAWN, Map.of("Authorization", "Basic czNjcmV0LXdyaXRl")));
			Response created = api.send("POST", "/spawns", SPAWN, Map.of("Authorization", "Bearer s3cret-write"));
			assertThat(created.status()).isEqualTo(201);
			String spawnId = created.json().get("spawn_id").asString();
			assertUnauthorized(
					api.send("PUT", "/spawns/" + spawnId + "/outcome", "{\"outcome\":\"completed\"}", Map.of()));

			assertThat(api.get("/stats").status()).isEqualTo(200);
			assertThat(api.get("/spawns/" + spawnId).status()).isEqualTo(200);
			assertThat(api.get("/actuator/health").status()).isEqualTo(200);
			assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(1);
		}
	}

	@Test
	void readTokenGuardsReadsButNotHealth() {
		try (RunningService service = RunningService.start(this.dataDirectory,
				"--telemetry.security.write-token=s3cret-write", "--telemetry.security.read-token=s3cret-read")) {
			TestApi api = service.api();

			assertUnauthorized(api.get("/stats"));
			assertUnauthorized(api.get("/spawns"));
			assertThat(api.get("/stats", Map.of("Authorization", "Bearer s3cret-read")).status()).isEqualTo(200);
			assertThat(api.get("/stats", Map.of("Authorization", "Bearer s3cret-write")).status()).isEqualTo(200);
			assertThat(api.get("/actuator/health").status()).isEqualTo(200);

			Response readerWrites = api.send("POST", "/spawns", SPAWN, Map.of("Authorization", "Bearer s3cret-read"));
			assertThat(readerWrites.status()).isEqualTo(403);
			assertThat(readerWrites.contentType()).startsWith("application/problem+json");
			assertThat(api.get("/stats", Map.of("Authorization", "Bearer s3cret-read"))
				.json()
				.get("total_spawns")
				.asLong()).isZero();
		}
	}

	@Test
	void refusesToStartWithAReadTokenButNoWriteToken() {
		assertThatThrownBy(() -> RunningService.start(this.dataDirectory, "--telemetry.security.read-token=only-read"))
			.rootCause()
			.hasMessageContaining("telemetry.security.read-token is set but telemetry.security.write-token is not");
	}

	@Test
	void showsHealthDetailsOnlyToHoldersOfAToken() {
		try (RunningService service = RunningService.start(this.dataDirectory,
				"--telemetry.security.write-token=s3cret-write", "--telemetry.security.read-token=s3cret-read")) {
			TestApi api = service.api();

			Response open = api.get("/actuator/health");
			assertThat(open.status()).isEqualTo(200);
			assertThat(open.json().get("status").asString()).isEqualTo("UP");
			assertThat(open.body()).doesNotContain(this.dataDirectory.toString()).doesNotContain("components");
			for (String token : List.of("s3cret-read", "s3cret-write")) {
				JsonNode details = api.withToken(token).get("/actuator/health").json();
				assertThat(details.get("components").get("storage").get("details").get("file").asString())
					.contains(this.dataDirectory.toString());
			}
			assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
			assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
		}
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			assertThat(service.api().get("/actuator/health").body()).doesNotContain(this.dataDirectory.toString());
		}
	}

	@Test
	void sendsNosniffAndCacheControlWithTokensToo() {
		try (RunningService service = RunningService.start(this.dataDirectory,
				"--telemetry.security.write-token=s3cret-write", "--telemetry.security.read-token=s3cret-read")) {
			TestApi api = service.api();
			Response unauthorized = api.get("/stats");
			Response stats = api.withToken("s3cret-read").get("/stats");
			Response write = api.withToken("s3cret-write").post("/spawns", SPAWN);

			assertThat(unauthorized.header("Cache-Control")).isEqualTo("no-store");
			assertThat(stats.header("Cache-Control")).isEqualTo("no-cache");
			assertThat(write.header("Cache-Control")).isEqualTo("no-store");
			for (Response response : List.of(unauthorized, stats, write)) {
				assertThat(response.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
			}
			// a write is answered from the writer's completion, after Spring Security's
			// filters are done: their headers must be on it all the same
			assertThat(write.headers().allValues("X-XSS-Protection")).containsExactly("0");
			assertThat(write.headers().allValues("X-Frame-Options")).containsExactly("DENY");
			assertThat(stats.headers().allValues("X-XSS-Protection")).containsExactly("0");
		}
	}

	@Test
	void exposesNoActuatorEndpointButHealthInfoAndPrometheus() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();

			assertThat(api.get("/actuator/env").status()).isEqualTo(404);
			assertThat(api.get("/actuator/beans").status()).isEqualTo(404);
			assertThat(api.get("/actuator/metrics").status()).isEqualTo(404);
			assertThat(api.get("/actuator/health").status()).isEqualTo(200);
			assertThat(api.get("/actuator/info").status()).isEqualTo(200);
			assertThat(api.get("/actuator/prometheus").status()).isEqualTo(200);
			assertThat(api.send("POST", "/spawns", SPAWN, Map.of()).status()).isEqualTo(201);
		}
	}

	private static void assertUnauthorized(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("type").asString()).isEqualTo("urn:spawn-telemetry:problem:unauthorized");
	}

}
