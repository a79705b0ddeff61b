package dev.spawntelemetry.web;

import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	private final WriterAnswerWriter writerAnswers;

	WebConfiguration(JsonMapper json, ProblemResponseWriter problems) {
		this.writerAnswers = new WriterAnswerWriter(json, problems);
	}

	/**
	 * JSON only: no YAML, XML, CBOR or Smile, read or written, whatever is on the class
	 * path.
	 */
	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.configureMessageConvertersList(
				(converters) -> converters.removeIf((converter) -> converter.getSupportedMediaTypes()
					.stream()
					.anyMatch((type) -> OTHER_DATA_FORMATS
						.contains(type.getSubtypeSuffix() != null ? type.getSubtypeSuffix() : type.getSubtype()))));
	}

	private static final java.util.Set<String> OTHER_DATA_FORMATS = java.util.Set.of("yaml", "x-yaml", "xml", "cbor",
			"x-jackson-smile");

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new StrictRequestInterceptor());
	}

	@Override
	public void addReturnValueHandlers(List<HandlerMethodReturnValueHandler> handlers) {
		handlers.add(new WriterAnswerHandler(this.writerAnswers));
	}

	@Bean
	TomcatCustomizations tomcatCustomizations() {
		return new TomcatCustomizations();
	}

	@Bean
	FilterRegistrationBean<ResponseHeadersFilter> responseHeadersFilter() {
		FilterRegistrationBean<ResponseHeadersFilter> registration = new FilterRegistrationBean<>(
				new ResponseHeadersFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Outermost: it answers once every other filter is done (see WriterAnswerHandler).
	 */
	@Bean
	FilterRegistrationBean<WriterAnswerFilter> writerAnswerFilter() {
		FilterRegistrationBean<WriterAnswerFilter> registration = new FilterRegistrationBean<>(
				new WriterAnswerFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(WebProperties properties,
			ProblemResponseWriter problems) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.maxBodySize(), problems));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

}
