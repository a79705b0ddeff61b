package dev.spawntelemetry.web;

import org.junit.jupiter.api.Test;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client whose body stops arriving is told the truth once the connection timeout
 * passes: the request timed out and nothing was applied, a 408 that clients retry, not a
 * 400 that says the request was wrong.
 */
@ServiceTest(properties = "server.tomcat.connection-timeout=1s")
class SlowClientsIT {

	@Autowired
	TestApi api;

	@Test
	void answersABodyThatStopsArrivingWith408AndAppliesNothing() {
		Response response = this.api
			.raw("POST /spawns HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: 100\r\nConnection: close\r\n\r\n{\"spawn_id\":\"slow-body\",\"model\":\"m\",");

		assertThat(response.status()).isEqualTo(408);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("type").asString()).isEqualTo("urn:spawn-telemetry:problem:request-timeout");
		assertThat(response.json().get("detail").asString()).contains("did not arrive whole", "Send it again");
		assertThat(this.api.get("/spawns/slow-body").status()).isEqualTo(404);
	}

}
