package dev.spawntelemetry.telemetry;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Which time buckets to read: those of one size starting at or after {@code from} and
 * before {@code to}, optionally of one model, caste or routing source. With a source,
 * each model's stats hold counts, outcomes and tokens only.
 *
 * @param sources whether the buckets' spawns per source are wanted too (a read that needs
 * them not saves the database a pass over the source cells)
 * @param modelsApart whether each bucket's models are wanted apart; without, a bucket's
 * sums over every model come under {@link TimeBucket#EVERY_MODEL}, which a backend can
 * read from one row per bucket
 */
public record BucketQuery(BucketSize size, Instant from, Instant to, @Nullable String model, @Nullable String caste,
		@Nullable String source, boolean sources, boolean modelsApart) {

	/** A query of the buckets with their spawns per source. */
	public BucketQuery(BucketSize size, Instant from, Instant to, @Nullable String model, @Nullable String caste,
			@Nullable String source) {
		this(size, from, to, model, caste, source, true, true);
	}

	/** A query of the buckets with their models apart. */
	public BucketQuery(BucketSize size, Instant from, Instant to, @Nullable String model, @Nullable String caste,
			@Nullable String source, boolean sources) {
		this(size, from, to, model, caste, source, sources, true);
	}

	/** This query, starting no earlier than the oldest bucket the history keeps now. */
	public BucketQuery keptBy(HistoryProperties history, Instant now) {
		Instant oldest = history.oldestKept(this.size, now);
		return this.from.isBefore(oldest) ? new BucketQuery(this.size, oldest, this.to, this.model, this.caste,
				this.source, this.sources, this.modelsApart) : this;
	}

}
