package dev.spawntelemetry.security;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.spawntelemetry.web.ProblemResponseWriter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * A stateless API: no sessions, no cookies, no login page. Bearer tokens, when
 * configured, decide who may write and who may read; {@code /actuator/health} stays open
 * for orchestrators and load balancers.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Log logger = LogFactory.getLog(SecurityConfiguration.class);

	/**
	 * An observation around every security filter of every request cost more than the
	 * checks themselves; http.server.requests already times each request.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Spring Security's strict firewall, but with an encoded '/' let through: generated
	 * clients send the '/' of a model name such as {@code openrouter/anthropic/…} as
	 * {@code %2F}, and the handlers decode each path segment themselves.
	 */
	@Bean
	HttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowUrlEncodedSlash(true);
		return firewall;
	}

	/**
	 * A request the firewall refuses is a 400 whose problem quotes the firewall's reason
	 * (the error page finds it where a failure is kept), not only a list of the rules.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, rejected) -> {
			request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, rejected);
			response.sendError(HttpServletResponse.SC_BAD_REQUEST);
		};
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, AccessTokensProperties tokens, ProblemResponseWriter problems)
			throws Exception {
		if (!tokens.writesProtected()) {
			logger.warn("telemetry.security.write-token is not set: anybody who can reach this service can write "
					+ "to it. Set TELEMETRY_SECURITY_WRITE_TOKEN to require 'Authorization: Bearer <token>'.");
			// nothing to enforce (a read token needs a write token): keep the security
			// filters off the request path altogether
			return http.securityMatcher((request) -> false).build();
		}
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// web's ResponseHeadersFilter sets both, with or without tokens; ETags make
			// /stats cacheable, which Spring Security's no-store default would defeat
			.headers((headers) -> headers.cacheControl(HeadersConfigurer.CacheControlConfig::disable)
				.contentTypeOptions(HeadersConfigurer.ContentTypeOptionsConfig::disable))
			.addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> {
				requests.requestMatchers("/actuator/health", "/actuator/health/**").permitAll();
				for (HttpMethod method : new HttpMethod[] { HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
						HttpMethod.DELETE }) {
					requests.requestMatchers(method, "/**").hasAuthority(BearerTokenFilter.WRITE);
				}
				if (tokens.readsProtected()) {
					requests.anyRequest().hasAuthority(BearerTokenFilter.READ);
				}
				else {
					requests.anyRequest().permitAll();
				}
			})
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint((request, response, ex) -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
				problems.write(response, HttpStatus.UNAUTHORIZED,
						"This request needs 'Authorization: Bearer <token>' with a valid token",
						request.getRequestURI());
			})
				.accessDeniedHandler((request, response, ex) -> problems.write(response, HttpStatus.FORBIDDEN,
						"The token presented may read but not write", request.getRequestURI())));
		return http.build();
	}

}
