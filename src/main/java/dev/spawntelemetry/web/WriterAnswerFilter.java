package dev.spawntelemetry.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The outermost filter: once every other filter is done with the request on its thread,
 * it hands a {@link WriterAnswer} started by the controller to the writer's completion.
 */
class WriterAnswerFilter extends OncePerRequestFilter {

	static final String ACTIVE = WriterAnswerFilter.class.getName() + ".ACTIVE";

	static final String PENDING = WriterAnswerFilter.class.getName() + ".PENDING";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		request.setAttribute(ACTIVE, Boolean.TRUE);
		try {
			chain.doFilter(request, response);
		}
		finally {
			request.removeAttribute(ACTIVE);
			if (request.getAttribute(PENDING) instanceof WriterAnswerHandler.PendingAnswer pending) {
				request.removeAttribute(PENDING);
				pending.answerWhenDone();
			}
		}
	}

}
