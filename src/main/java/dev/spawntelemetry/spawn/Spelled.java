package dev.spawntelemetry.spawn;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.jspecify.annotations.Nullable;

/**
 * A string field spelled as its {@link Spelling} says, or absent. The API document
 * publishes the spelling's regular expression as the field's pattern
 * ({@link SpellingPatterns}).
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Spelled.Check.class)
@interface Spelled {

	Spelling value();

	/** Unused: a refusal says the spelling's rule. */
	String message() default "";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Checks a field against its spelling. */
	final class Check implements ConstraintValidator<Spelled, String> {

		private Spelling spelling = Spelling.TEXT;

		@Override
		public void initialize(Spelled spelled) {
			this.spelling = spelled.value();
		}

		@Override
		public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
			if (value == null || this.spelling.isSpelled(value)) {
				return true;
			}
			context.disableDefaultConstraintViolation();
			context.buildConstraintViolationWithTemplate(this.spelling.rule()).addConstraintViolation();
			return false;
		}

	}

}
