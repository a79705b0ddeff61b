package dev.spawntelemetry.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

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

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(WebProperties properties,
			ProblemResponseWriter problems) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.maxBodySize(), problems));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

}
