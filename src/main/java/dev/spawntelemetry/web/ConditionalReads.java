package dev.spawntelemetry.web;

import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.WebRequest;

/**
 * The one way a read is answered under an ETag: {@code 304} when the client has it, also
 * for {@code If-None-Match: *} (RFC 9110 13.1.2: it matches any current representation,
 * and there always is one), else {@code 200} with the ETag and the body.
 */
public final class ConditionalReads {

	private ConditionalReads() {
	}

	/** The answer, or null when Spring has already answered 304. */
	public static <T> @Nullable ResponseEntity<T> answer(WebRequest request, String etag, Supplier<T> body) {
		if ("*".equals(Objects.toString(request.getHeader(HttpHeaders.IF_NONE_MATCH), "").strip())) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
		}
		if (request.checkNotModified(etag)) {
			return null;
		}
		return ResponseEntity.ok().eTag(etag).body(body.get());
	}

}
