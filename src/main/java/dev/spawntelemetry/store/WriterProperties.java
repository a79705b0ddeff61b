package dev.spawntelemetry.store;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the single writer queues and batches writes.
 *
 * @param queueCapacity writes that may wait for the writer; beyond that a write is
 * refused at once
 * @param maxBatch writes applied together and made durable by one persist
 * @param timeout how long a write may wait in the queue before it is answered as not
 * applied
 */
@Validated
@ConfigurationProperties("telemetry.writer")
public record WriterProperties(@DefaultValue("10000") @Min(1) int queueCapacity,
		@DefaultValue("512") @Min(1) @Max(100_000) int maxBatch, @DefaultValue("5s") Duration timeout) {

}
