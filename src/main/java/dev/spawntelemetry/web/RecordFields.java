package dev.spawntelemetry.web;

import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
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
 * Describes the fields of the service's records as it sends them, so that a client
 * generated in a strict language types them right: every field of an answer is required,
 * because the service always sends it (unless the component says when it leaves it out),
 * and nullable where the component is declared {@code @Nullable}, which springdoc does
 * not see (JSpecify's is a type annotation). Request bodies keep what their validation
 * makes required.
 */
final class RecordFields implements OpenApiCustomizer {

	private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE = new PropertyNamingStrategies.SnakeCaseStrategy();

	private final Map<String, Class<?>> records = new HashMap<>();

	RecordFields(String basePackage) {
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
		Map<String, Schema> schemas = openApi.getComponents().getSchemas();
		Set<String> requests = requestSchemas(openApi, schemas);
		schemas.forEach((String name, Schema schema) -> {
			Class<?> type = this.records.get(name);
			if (type == null || schema.getProperties() == null) {
				return;
			}
			List<String> required = new ArrayList<>();
			describe(type, schema.getProperties(), required);
			if (!requests.contains(name)) {
				schema.setRequired(required);
			}
		});
	}

	/**
	 * Marks the fields of a record's components, and those of a component unwrapped into
	 * it, nullable where they may be null, and adds those always sent to the required.
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void describe(Class<?> type, Map<String, Schema> properties, List<String> required) {
		for (RecordComponent component : type.getRecordComponents()) {
			if (component.getAccessor().isAnnotationPresent(JsonUnwrapped.class) && component.getType().isRecord()) {
				describe(component.getType(), properties, required);
				continue;
			}
			String property = SNAKE_CASE.translate(component.getName());
			Schema field = properties.get(property);
			if (field == null) {
				continue;
			}
			if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
				properties.put(property, nullable(field));
			}
			if (!component.getAccessor().isAnnotationPresent(JsonInclude.class)) {
				required.add(property);
			}
		}
	}

	/** The schemas a request body is made of, its own and those it refers to. */
	@SuppressWarnings("rawtypes")
	private static Set<String> requestSchemas(OpenAPI openApi, Map<String, Schema> schemas) {
		Deque<Schema> pending = new ArrayDeque<>();
		if (openApi.getPaths() != null) {
			openApi.getPaths()
				.values()
				.forEach((path) -> path.readOperations()
					.stream()
					.filter((operation) -> operation.getRequestBody() != null
							&& operation.getRequestBody().getContent() != null)
					.forEach((operation) -> operation.getRequestBody()
						.getContent()
						.values()
						.forEach((media) -> pending.add(media.getSchema()))));
		}
		Set<String> found = new HashSet<>();
		while (!pending.isEmpty()) {
			Schema schema = pending.pop();
			if (schema == null) {
				continue;
			}
			if (schema.get$ref() != null) {
				String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
				if (found.add(name) && schemas.get(name) != null) {
					pending.add(schemas.get(name));
				}
			}
			if (schema.getProperties() != null) {
				pending.addAll(((Map<String, Schema>) schema.getProperties()).values());
			}
			if (schema.getItems() != null) {
				pending.add(schema.getItems());
			}
			if (schema.getAdditionalProperties() instanceof Schema values) {
				pending.add(values);
			}
			if (schema.getAnyOf() != null) {
				pending.addAll(schema.getAnyOf());
			}
		}
		return found;
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
