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

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
		response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl(request.getMethod()));
		chain.doFilter(request, response);
	}

	/** Headers of every error answer, which must never be kept by a cache. */
	static void problemHeaders(BiConsumer<String, String> headers) {
		headers.accept(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
		headers.accept(HttpHeaders.CACHE_CONTROL, "no-store");
	}

	static String cacheControl(String method) {
		return ("GET".equals(method) || "HEAD".equals(method)) ? "no-cache" : "no-store";
	}

}
