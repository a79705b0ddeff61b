package dev.spawntelemetry.otlp;

/**
 * Why an agent span was not counted: a bounded set, so that it can label a metric.
 */
enum SpanRejection {

	/** Its ids or its times cannot make a spawn. */
	INVALID_SPAN,

	/** Its caste, model, source or task is not one the service accepts. */
	INVALID_NAME,

	/** Its token counts are not non-negative integers within bounds. */
	INVALID_USAGE,

	/** It was counted before with other values: an exporter's retry counts once. */
	CONFLICT,

	/** It would exceed a limit on the models or castes the service keeps. */
	LIMIT_EXCEEDED;

	/** The label of the metric. */
	String tag() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
