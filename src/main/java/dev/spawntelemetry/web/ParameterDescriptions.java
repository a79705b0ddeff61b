package dev.spawntelemetry.web;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static java.util.Map.entry;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * What each parameter of the API means, with the format or the values it takes, kept in
 * one place because a name means the same on every operation ({@code caste} is a caste
 * wherever it appears); an entry keyed by the operation's id says what differs there.
 */
final class ParameterDescriptions implements OpenApiCustomizer {

	private static final Map<String, Consumer<Parameter>> PARAMETERS = Map.ofEntries(
			entry("path:spawnId", described("The spawn's id, as recorded (its spawn_id)")),
			entry("path:caste", described("A caste, as recorded, e.g. builder")),
			entry("path:model",
					described("A model, as recorded, e.g. openrouter/anthropic/claude-sonnet-4.5; "
							+ "its '/' may be sent as is or encoded as %2F")),
			entry("query:caste", described("Only spawns of this caste")),
			entry("getRecommendation:caste", described("The caste to recommend a model for")),
			entry("query:model", described("Only spawns of this model (the model recorded as chosen)")),
			entry("query:source",
					described("Only spawns chosen by this routing source, e.g. caste-default or telemetry")),
			entry("query:outcome",
					described("Only spawns that ended so, or 'open' for those with no outcome yet")
						.andThen(values("completed", "failed", "blocked", "open"))),
			entry("query:limit", described("At most this many decisions, newest first")),
			entry("query:days",
					described("Only the last 'days' days: every spawn in the whole time buckets they cover "
							+ "(hours up to the hourly history, days beyond), at most the days of history kept")),
			entry("getAlerts:days", described("Only changes found within the last 'days' days")),
			entry("query:min_resolved",
					described("Models with fewer resolved spawns than this are ranked after the others, "
							+ "marked insufficient_data")),
			entry("query:bucket", described("The size of a point: an hour or a day").andThen(values("hour", "day"))),
			entry("query:from",
					described("The first instant of the series (ISO-8601, e.g. 2026-12-01T00:00:00Z), widened to "
							+ "the start of its bucket; by default 30 buckets before 'to'")
						.andThen(dateTime())),
			entry("query:to",
					described("The last instant of the series (ISO-8601), widened to the end of its bucket; "
							+ "by default now")
						.andThen(dateTime())),
			entry("query:candidates",
					described("The models to choose among, comma-separated; by default "
							+ "telemetry.routing.candidates.<caste>, else the models seen for the caste")
						.andThen(commaSeparated())),
			entry("query:objective",
					described("What the policy maximizes: the success rate, or the success rate per token")
						.andThen(values("success", "success-per-token"))),
			entry("query:task_class",
					described("The task class to route for: default, or one of telemetry.routing.task-classes")),
			entry("query:task",
					described("A task's text, classified by telemetry.routing.task-classes' keywords when "
							+ "task_class is not given")),
			entry("header:Idempotency-Key",
					described("Makes the call a retry when this key was already used for this spawn: "
							+ "1 to 255 visible ASCII characters, quoted or not")));

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().values().forEach((path) -> path.readOperations().forEach(ParameterDescriptions::describe));
	}

	private static void describe(Operation operation) {
		if (operation.getParameters() == null) {
			return;
		}
		for (Parameter parameter : operation.getParameters()) {
			Consumer<Parameter> general = PARAMETERS.get(parameter.getIn() + ":" + parameter.getName());
			if (general == null) {
				throw new IllegalStateException("Parameter '" + parameter.getName() + "' of "
						+ operation.getOperationId() + " is not described in " + ParameterDescriptions.class);
			}
			general.accept(parameter);
			Consumer<Parameter> here = PARAMETERS.get(operation.getOperationId() + ":" + parameter.getName());
			if (here != null) {
				here.accept(parameter);
			}
		}
	}

	private static Consumer<Parameter> described(String description) {
		return (parameter) -> parameter.setDescription(description);
	}

	private static Consumer<Parameter> values(String... values) {
		return (parameter) -> {
			StringSchema named = new StringSchema();
			named.setEnum(List.of(values));
			if (parameter.getSchema().getDefault() != null) {
				named.setDefault(parameter.getSchema().getDefault());
			}
			parameter.setSchema(named);
		};
	}

	private static Consumer<Parameter> dateTime() {
		// a schema of its own: springdoc may share one among parameters of one type
		return (parameter) -> parameter.setSchema(new StringSchema().format("date-time"));
	}

	private static Consumer<Parameter> commaSeparated() {
		return (parameter) -> {
			parameter.setSchema(new ArraySchema().items(new StringSchema()));
			parameter.setStyle(Parameter.StyleEnum.FORM);
			parameter.setExplode(false);
		};
	}

}
