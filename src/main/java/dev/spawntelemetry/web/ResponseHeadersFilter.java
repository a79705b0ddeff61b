package dev.spawntelemetry.web;

import java.io.IOException;
import java.util.function.BiConsumer;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers every answer carries, with or without tokens: no content sniffing, and caching
 * that suits the answer. A read may be kept but must be revalidated (the statistics carry
 * ETags); the answer to a write, or an error to it, must never be kept.
 */
class ResponseHeadersFilter extends OncePerRequestFilter {

	static final String X_CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";

	static final String NOSNIFF = "nosniff";

	static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";

	static final String OWN_RESOURCES_ONLY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	static final String X_FRAME_OPTIONS = "X-Frame-Options";

	static final String REFERRER_POLICY = "Referrer-Policy";

	static final String NO_REFERRER = "no-referrer";

	private static final String SWAGGER_UI = "/swagger-ui";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
		response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl(request.getMethod()));
		response.setHeader(REFERRER_POLICY, NO_REFERRER);
		if (!request.getRequestURI().startsWith(SWAGGER_UI)) {
			// Swagger UI brings its own inline styles; everything else, the dashboard
			// included, loads only its own scripts and styles and is never framed
			response.setHeader(CONTENT_SECURITY_POLICY, OWN_RESOURCES_ONLY);
			response.setHeader(X_FRAME_OPTIONS, "DENY");
		}
		chain.doFilter(request, response);
	}

	/** Headers of every error answer, which must never be kept by a cache. */
	static void problemHeaders(BiConsumer<String, String> headers) {
		headers.accept(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
		headers.accept(HttpHeaders.CACHE_CONTROL, "no-store");
		headers.accept(CONTENT_SECURITY_POLICY, OWN_RESOURCES_ONLY);
		headers.accept(REFERRER_POLICY, NO_REFERRER);
	}

	static String cacheControl(String method) {
		return ("GET".equals(method) || "HEAD".equals(method)) ? "no-cache" : "no-store";
	}

}
