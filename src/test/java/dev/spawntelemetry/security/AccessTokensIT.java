package dev.spawntelemetry.security;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;

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
	void exposesNoActuatorEndpointButHealthAndInfo() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();

			assertThat(api.get("/actuator/env").status()).isEqualTo(404);
			assertThat(api.get("/actuator/beans").status()).isEqualTo(404);
			assertThat(api.get("/actuator/metrics").status()).isEqualTo(404);
			assertThat(api.get("/actuator/health").status()).isEqualTo(200);
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
