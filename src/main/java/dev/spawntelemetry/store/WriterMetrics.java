package dev.spawntelemetry.store;

import java.util.Collection;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * How the single writer is doing: how full its queue is, how many writes each persist
 * carries, what a persist costs, and how often one fails.
 */
final class WriterMetrics {

	private final DistributionSummary batchSize;

	private final Timer persistDuration;

	private final Counter persistFailures;

	WriterMetrics(MeterRegistry meters, Collection<?> queue) {
		this.batchSize = DistributionSummary.builder("spawn.telemetry.writer.batch.size")
			.description("Writes applied together and made durable by one persist")
			.register(meters);
		this.persistDuration = Timer.builder("spawn.telemetry.writer.persist")
			.description("Time to make one batch durable")
			.register(meters);
		this.persistFailures = Counter.builder("spawn.telemetry.writer.persist.failures")
			.description("Batches answered as failed because they could not be made durable")
			.register(meters);
		Gauge.builder("spawn.telemetry.writer.queue.depth", queue, Collection::size)
			.description("Writes waiting for the writer")
			.register(meters);
	}

	void batchTaken(int writes) {
		this.batchSize.record(writes);
	}

	<T> T persisted(Supplier<T> persist) {
		return this.persistDuration.record(persist);
	}

	void persistFailed() {
		this.persistFailures.increment();
	}

}
