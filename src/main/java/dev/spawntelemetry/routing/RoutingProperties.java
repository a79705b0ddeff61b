package dev.spawntelemetry.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.spawntelemetry.telemetry.ModelNames;
import dev.spawntelemetry.telemetry.RouteEvidence;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * How the service routes.
 *
 * @param explorationFloor the least probability with which every candidate is chosen, so
 * that a model that changed for the better is noticed; at most 1 / candidates
 * @param seed mixed with a spawn's id to draw its choice; replicas with the same seed
 * choose alike
 * @param objective what is maximized when a request does not say
 * @param candidates the candidates per caste when a request names none
 * @param taskClasses keywords per task class, in the order they are tried on a task's
 * text
 * @param defaults per caste, the model its static assignment would use
 * ({@code telemetry.routing.default.<caste>}), evaluated beside the routing policy
 */
@ConfigurationProperties("telemetry.routing")
public record RoutingProperties(@DefaultValue("0.001") double explorationFloor, @DefaultValue("0") long seed,
		@DefaultValue("success") String objective, Map<String, List<String>> candidates,
		Map<String, List<String>> taskClasses, @Name("default") Map<String, String> defaults) {

	public static final RoutingProperties DEFAULTS = new RoutingProperties(0.001, 0, "success", Map.of(), Map.of(),
			Map.of());

	private static final Pattern CLASS_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

	public RoutingProperties(double explorationFloor, long seed, String objective,
			Map<String, List<String>> candidates) {
		this(explorationFloor, seed, objective, candidates, Map.of(), Map.of());
	}

	public RoutingProperties(double explorationFloor, long seed, String objective, Map<String, List<String>> candidates,
			Map<String, List<String>> taskClasses) {
		this(explorationFloor, seed, objective, candidates, taskClasses, Map.of());
	}

	@ConstructorBinding
	public RoutingProperties {
		if (!(explorationFloor >= 0 && explorationFloor <= 0.2)) {
			throw new IllegalArgumentException(
					"telemetry.routing.exploration-floor must be between 0 and 0.2 (was " + explorationFloor + ")");
		}
		if (Objective.fromWireName(objective).isEmpty()) {
			throw new IllegalArgumentException(
					"telemetry.routing.objective must be one of " + Objective.ALLOWED + " (was " + objective + ")");
		}
		candidates = Map.copyOf((candidates != null) ? candidates : Map.of());
		taskClasses = Collections.unmodifiableMap(new LinkedHashMap<>((taskClasses != null) ? taskClasses : Map.of()));
		taskClasses.forEach((name, keywords) -> {
			if (!CLASS_NAME.matcher(name).matches() || name.equals(RouteEvidence.DEFAULT_CLASS) || keywords.isEmpty()
					|| keywords.stream().anyMatch(String::isBlank)) {
				throw new IllegalArgumentException("telemetry.routing.task-classes." + name
						+ " must be a class name of 1 to 64 of a-z 0-9 _ . - other than 'default', with one or more "
						+ "keywords (was " + keywords + ")");
			}
		});
		defaults = Map.copyOf((defaults != null) ? defaults : Map.of());
		defaults.forEach((caste, model) -> {
			if (!ModelNames.isValid(model)) {
				throw new IllegalArgumentException("telemetry.routing.default." + caste + " must name a model, which "
						+ ModelNames.RULE + " (was " + model + ")");
			}
		});
		candidates.forEach((caste, models) -> {
			if (models.isEmpty() || models.size() > Routes.MAX_CANDIDATES || Set.copyOf(models).size() != models.size()
					|| !models.stream().allMatch(ModelNames::isValid)) {
				throw new IllegalArgumentException(
						"telemetry.routing.candidates." + caste + " must name 1 to " + Routes.MAX_CANDIDATES
								+ " distinct models, each of which " + ModelNames.RULE + " (was " + models + ")");
			}
		});
	}

	Objective defaultObjective() {
		return Objective.fromWireName(this.objective).orElseThrow();
	}

}
