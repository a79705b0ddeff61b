package dev.spawntelemetry.spawn;

import java.lang.annotation.Annotation;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.PropertyCustomizer;

import org.springframework.stereotype.Component;

/**
 * Publishes the regular expression of a {@link Spelled} field as its pattern in the API
 * document, as springdoc does for {@code @Pattern}.
 */
@Component
class SpellingPatterns implements PropertyCustomizer {

	@Override
	@SuppressWarnings("rawtypes")
	public Schema customize(Schema property, AnnotatedType type) {
		if (type.getCtxAnnotations() != null) {
			for (Annotation annotation : type.getCtxAnnotations()) {
				if (annotation instanceof Spelled spelled) {
					property.setPattern(spelled.value().pattern());
				}
			}
		}
		return property;
	}

}
