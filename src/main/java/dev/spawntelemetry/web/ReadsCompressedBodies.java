package dev.spawntelemetry.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A handler that reads its body itself, decompressing and bounding it as its protocol
 * says (OTLP/HTTP exporters send gzip), where every other handler takes bodies
 * uncompressed and within {@code telemetry.web.max-body-size}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReadsCompressedBodies {

	/**
	 * The paths of such handlers, which the servlet filters bounding bodies pass over.
	 */
	String PATHS = "/v1/";

}
