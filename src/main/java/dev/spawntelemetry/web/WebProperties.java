package dev.spawntelemetry.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP-wide limits.
 *
 * @param maxBodySize request bodies beyond this are answered 413
 */
@ConfigurationProperties("telemetry.web")
public record WebProperties(@DefaultValue("64KB") DataSize maxBodySize) {

}
