package dev.spawntelemetry.web;

import dev.spawntelemetry.problem.ProblemType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The query string and the body's coding are held to the body's strictness, for this
 * service's own endpoints: a parameter the endpoint does not know is a 400 that names it
 * and lists those it knows (a typo never silently widens an answer), a single-valued
 * parameter given twice is a 400, and a body in any coding other than {@code identity} is
 * a 415: compressed bodies are not decoded.
 */
class StrictRequestInterceptor implements HandlerInterceptor {

	private static final String OWN_PACKAGE = "dev.spawntelemetry.";

	private final Map<HandlerMethod, Map<String, Boolean>> parameters = new ConcurrentHashMap<>();

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (request.getDispatcherType() != DispatcherType.REQUEST || !(handler instanceof HandlerMethod method)
				|| !method.getBeanType().getName().startsWith(OWN_PACKAGE)) {
			return true;
		}
		if (!method.hasMethodAnnotation(ReadsCompressedBodies.class)) {
			refuseCodedBodies(request);
		}
		Map<String, Boolean> known = this.parameters.computeIfAbsent(method, StrictRequestInterceptor::parametersOf);
		List<String> unknown = new ArrayList<>();
		for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
			Boolean multiValued = known.get(parameter.getKey());
			if (multiValued == null) {
				unknown.add(parameter.getKey());
			}
			else if (!multiValued && parameter.getValue().length > 1) {
				throw new InvalidRequestException("The query parameter '" + parameter.getKey()
						+ "' must be given once; it was given " + parameter.getValue().length + " times");
			}
		}
		if (!unknown.isEmpty()) {
			throw new InvalidRequestException(
					((unknown.size() == 1) ? "Unknown query parameter " : "Unknown query " + "parameters ")
							+ String.join(", ", unknown.stream().map((name) -> "'" + shown(name) + "'").toList()) + "; "
							+ (known.isEmpty() ? "this resource takes none"
									: "this resource takes " + String.join(", ", known.keySet())));
		}
		return true;
	}

	private static void refuseCodedBodies(HttpServletRequest request) {
		String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
		if (coding != null && !coding.isBlank() && !"identity".equalsIgnoreCase(coding.strip())) {
			ProblemDetail problem = ProblemType.UNSUPPORTED_MEDIA_TYPE.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"Content-Encoding '" + shown(coding.strip()) + "' is not accepted: send the body uncompressed "
							+ "(Content-Encoding: identity, or none). Nothing was applied.");
			ErrorResponseException refusal = new ErrorResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, problem,
					null);
			refusal.getHeaders().set(HttpHeaders.ACCEPT_ENCODING, "identity");
			throw refusal;
		}
	}

	/** The query parameters a handler takes, each with whether it may repeat. */
	private static Map<String, Boolean> parametersOf(HandlerMethod method) {
		Map<String, Boolean> known = new LinkedHashMap<>();
		for (MethodParameter parameter : method.getMethodParameters()) {
			RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
			if (annotation != null) {
				String name = !annotation.name().isEmpty() ? annotation.name() : parameter.getParameterName();
				Class<?> type = parameter.getParameterType();
				known.put(name, type.isArray() || Iterable.class.isAssignableFrom(type));
			}
		}
		return known;
	}

	private static String shown(String text) {
		String printable = text.codePoints()
			.limit(64)
			.mapToObj((c) -> Character.isISOControl(c) ? "?" : Character.toString(c))
			.reduce("", String::concat);
		return (text.length() > 64) ? printable + "…" : printable;
	}

}
