package dev.spawntelemetry.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Grants {@code write} and {@code read} to a request bearing the write token,
 * {@code read} to one bearing the read token, and nothing otherwise. Tokens are compared
 * in constant time, so response timing does not reveal how much of a guess was right.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	static final String WRITE = "write";

	static final String READ = "read";

	private static final String BEARER = "Bearer ";

	private final byte @Nullable [] writeDigest;

	private final byte @Nullable [] readDigest;

	BearerTokenFilter(AccessTokensProperties tokens) {
		this.writeDigest = tokens.writesProtected() ? digest(tokens.writeToken()) : null;
		this.readDigest = tokens.readsProtected() ? digest(tokens.readToken()) : null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			byte[] presented = digest(authorization.substring(BEARER.length()).trim());
			List<SimpleGrantedAuthority> authorities = new ArrayList<>();
			if (this.writeDigest != null && MessageDigest.isEqual(presented, this.writeDigest)) {
				authorities.add(new SimpleGrantedAuthority(WRITE));
				authorities.add(new SimpleGrantedAuthority(READ));
			}
			else if (this.readDigest != null && MessageDigest.isEqual(presented, this.readDigest)) {
				authorities.add(new SimpleGrantedAuthority(READ));
			}
			if (!authorities.isEmpty()) {
				SecurityContextHolder.getContext()
					.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("token", null, authorities));
			}
		}
		chain.doFilter(request, response);
	}

	/**
	 * Equal-length digests, so that comparing them takes the same time for every token.
	 */
	private static byte[] digest(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}
