package dev.spawntelemetry.routing;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.web.InvalidRequestException;

/**
 * The task classes a routed spawn can be of, as the ancestor's task routing had them: a
 * class named by the request, else the first configured class one of whose keywords the
 * task's text contains (case-insensitive, in configured order), else
 * {@value RouteEvidence#DEFAULT_CLASS}.
 */
final class TaskClasses {

	private final Map<String, List<String>> keywords;

	TaskClasses(Map<String, List<String>> keywords) {
		this.keywords = keywords;
	}

	/**
	 * The class of a spawn.
	 * @param named the class the request names, or null
	 * @param task the task's text, or null
	 * @throws InvalidRequestException if the request names a class that is not configured
	 */
	String of(@Nullable String named, @Nullable String task) {
		if (named != null) {
			if (!named.equals(RouteEvidence.DEFAULT_CLASS) && !this.keywords.containsKey(named)) {
				throw new InvalidRequestException(
						"task_class '" + named + "' is not configured; the classes are " + RouteEvidence.DEFAULT_CLASS
								+ (this.keywords.isEmpty()
										? " (configure more as telemetry.routing.task-classes.<class>)"
										: ", " + String.join(", ", this.keywords.keySet())));
			}
			return named;
		}
		if (task != null) {
			String text = task.toLowerCase(Locale.ROOT);
			for (Map.Entry<String, List<String>> taskClass : this.keywords.entrySet()) {
				for (String keyword : taskClass.getValue()) {
					if (text.contains(keyword.toLowerCase(Locale.ROOT))) {
						return taskClass.getKey();
					}
				}
			}
		}
		return RouteEvidence.DEFAULT_CLASS;
	}

}
