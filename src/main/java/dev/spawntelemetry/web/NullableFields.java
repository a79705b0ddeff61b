package dev.spawntelemetry.web;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Marks as nullable every field the service may send as {@code null}: the components of
 * its records declared {@code @Nullable}, which springdoc does not see (JSpecify's is a
 * type annotation). A generated client in a strict language then accepts the answers it
 * gets.
 */
final class NullableFields implements OpenApiCustomizer {

	private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE = new PropertyNamingStrategies.SnakeCaseStrategy();

	private final Map<String, Class<?>> records = new HashMap<>();

	NullableFields(String basePackage) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AssignableTypeFilter(Record.class));
		for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
			Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), getClass().getClassLoader());
			this.records.putIfAbsent(type.getSimpleName(), type);
		}
	}

	@Override
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public void customise(OpenAPI openApi) {
		if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
			return;
		}
		openApi.getComponents().getSchemas().forEach((String name, Schema schema) -> {
			Class<?> type = this.records.get(name);
			if (type == null || schema.getProperties() == null) {
				return;
			}
			for (RecordComponent component : type.getRecordComponents()) {
				if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
					String property = SNAKE_CASE.translate(component.getName());
					Map<String, Schema> properties = schema.getProperties();
					Schema field = properties.get(property);
					if (field != null) {
						properties.put(property, nullable(field));
					}
				}
			}
		});
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> nullable(Schema field) {
		if (field.get$ref() != null) {
			Schema none = new Schema<>();
			none.addType("null");
			List<Schema> either = List.of(field, none);
			return new Schema<>().anyOf(either);
		}
		field.addType("null");
		if (field.getEnum() != null && !field.getEnum().contains(null)) {
			field.getEnum().add(null);
		}
		return field;
	}

}
