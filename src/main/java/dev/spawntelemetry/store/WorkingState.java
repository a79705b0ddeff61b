package dev.spawntelemetry.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.EndedSpawn;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.LimitExceededException;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.SpawnChange;
import dev.spawntelemetry.telemetry.SpawnConflictException;
import dev.spawntelemetry.telemetry.SpawnNotFoundException;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.TimeCell;
import dev.spawntelemetry.telemetry.Usage;

/**
 * The mutable working state. Only the writer thread ever holds one; everybody else sees
 * the {@link TelemetrySnapshot}s it publishes. Each operation either refuses before
 * changing anything or changes the decision log and the aggregates together, and answers
 * what it changed. It remembers which spawns and which model × caste aggregates it
 * changed, for a backend that writes only those, and what it added to which time bucket.
 */
public final class WorkingState {

	public static final Function<String, @Nullable SpawnRecord> NO_RETAINED_SPAWNS = (spawnId) -> null;

	private final Limits limits;

	private final Clock clock;

	private final HistoryProperties history;

	private final Map<String, ModelStats> models;

	private final DecisionLog decisions;

	private final Function<String, @Nullable SpawnRecord> findRetained;

	/**
	 * Spawns beyond the log that this batch has seen: found by {@link #findRetained}, or
	 * rotated out by this batch, which the backend can find beyond the log only once the
	 * batch is stored.
	 */
	private final Map<String, SpawnRecord> retained = new HashMap<>();

	/** What changed since the last snapshot. */
	private final ChangeSet.Builder changes = new ChangeSet.Builder();

	private @Nullable Instant lastUpdated;

	/**
	 * A state of the spawns in the log and those retained beyond it.
	 * @param findRetained finds a spawn that is not in the log by its id, or answers
	 * {@code null}; a backend that keeps none beyond the log passes
	 * {@link #NO_RETAINED_SPAWNS}
	 */
	public WorkingState(TelemetrySnapshot snapshot, int maxDecisions, Limits limits, HistoryProperties history,
			Clock clock, Function<String, @Nullable SpawnRecord> findRetained) {
		this.limits = limits;
		this.history = history;
		this.clock = clock;
		this.findRetained = findRetained;
		this.models = new HashMap<>(snapshot.models());
		this.decisions = new DecisionLog(maxDecisions, snapshot.decisions());
		this.lastUpdated = snapshot.lastUpdated();
		leftTheLog(this.decisions.trim());
	}

	/**
	 * Appends a new spawn to the log, rotating out the oldest decision beyond
	 * {@code max-decisions}, and counts it for its model and caste; or recognizes a
	 * faithful retry of a spawn still in the log, and changes nothing.
	 */
	public SpawnChange recordSpawn(NewSpawn spawn) {
		SpawnRecord existing = (spawn.spawnId() != null) ? findOrNull(spawn.spawnId()) : null;
		if (existing != null) {
			List<String> differences = spawn.differencesFrom(existing);
			if (!differences.isEmpty()) {
				throw SpawnConflictException.differentSpawn(existing.spawnId(), differences);
			}
			return SpawnChange.unchanged(existing);
		}
		String caste = spawn.casteOrDefault();
		for (String candidate : spawn.models()) {
			ModelStats known = this.models.get(candidate);
			this.limits.check(candidate, known != null, this.models.size(), caste,
					known != null && known.byCaste().containsKey(caste), (known != null) ? known.byCaste().size() : 0);
		}
		long casteClock = (spawn.route() != null) ? RouteEvidence.casteClock(this.models, caste) : 0;
		SpawnRecord recorded = spawn.toRecord(this.clock, (candidate) -> {
			ModelStats known = this.models.get(candidate);
			CasteStats stats = (known != null) ? known.byCaste().get(caste) : null;
			return (stats != null) ? stats.agedTo(casteClock) : null;
		});
		ModelStats model = this.models.get(recorded.selectedModel());
		List<SpawnRecord> pushedOut = this.decisions.append(recorded);
		this.changes.created(recorded);
		this.models.put(recorded.selectedModel(),
				((model != null) ? model : ModelStats.NONE).withSpawn(recorded.caste()));
		this.changes.changed(recorded.selectedModel(), recorded.caste());
		countInTime(recorded, CasteStats.NONE.withSpawn());
		leftTheLog(pushedOut);
		this.lastUpdated = now();
		return SpawnChange.created(recorded);
	}

	/**
	 * Sets a spawn's outcome once, adds its final usage and counts both, with the time it
	 * took, for its model and caste. The same outcome again changes nothing.
	 * @param completedAt when it ended, absent for now
	 */
	public SpawnChange recordOutcome(String spawnId, Outcome outcome, @Nullable Instant completedAt, Usage usage) {
		return recordOutcome(spawnId, outcome, completedAt, usage, null, null);
	}

	private SpawnChange recordOutcome(String spawnId, Outcome outcome, @Nullable Instant completedAt, Usage usage,
			@Nullable String servedModel, @Nullable String outcomeReason) {
		SpawnRecord current = find(spawnId);
		if (current.outcome() == outcome && (completedAt == null || completedAt.equals(current.completedAt()))) {
			return SpawnChange.unchanged(current);
		}
		if (current.outcome() != null) {
			throw (current.outcome() == outcome)
					? SpawnConflictException.endedAtAnotherTime(spawnId, current.completedAt())
					: SpawnConflictException.alreadyEnded(spawnId, current.outcome());
		}
		if (completedAt != null && completedAt.isBefore(current.timestamp())) {
			throw SpawnConflictException.endedBeforeItStarted(spawnId, completedAt, current.timestamp());
		}
		Instant now = now();
		Instant ended = (completedAt != null) ? completedAt : now;
		SpawnRecord recorded = current.withUsageAdded(usage).withOutcome(outcome, ended, servedModel, outcomeReason);
		ModelStats model = modelWithUsage(current.selectedModel(), spawnId, current.caste(), usage);
		Duration took = Duration.between(current.timestamp(), ended);
		store(recorded,
				(model != null) ? model.withOutcome(current.caste(), outcome, took, now,
						RouteEvidence.casteClock(this.models, current.caste()),
						(current.route() != null) ? current.route().taskClass() : null) : null);
		if (model != null) {
			countInTime(current,
					CasteStats.NONE.withUsage(usage.tokens(), usage.tools())
						.withOutcome(outcome, took)
						.withPropensitySums(PropensitySums.change(current, recorded)));
		}
		return new SpawnChange(recorded, true, usage.tokens());
	}

	/**
	 * Records a spawn that has ended with its outcome and usage, or recognizes a faithful
	 * retry of one; everything that could refuse it is decided before anything changes.
	 */
	public SpawnChange recordEndedSpawn(EndedSpawn ended) {
		NewSpawn spawn = ended.spawn();
		SpawnRecord existing = findOrNull(spawn.spawnId());
		if (existing != null) {
			List<String> differences = ended.differencesFrom(existing);
			if (!differences.isEmpty()) {
				throw SpawnConflictException.differentSpawn(existing.spawnId(), differences);
			}
			return SpawnChange.unchanged(existing);
		}
		modelWithUsage(spawn.models().get(0), spawn.spawnId(), spawn.casteOrDefault(), ended.usage());
		recordSpawn(spawn);
		return recordOutcome(spawn.spawnId(), ended.outcome(), ended.completedAt(), ended.usage(), ended.servedModel(),
				ended.outcomeReason());
	}

	/**
	 * Adds usage to a spawn and to its model's and caste's lifetime usage, once per
	 * idempotency key.
	 */
	public SpawnChange addUsage(String spawnId, Usage usage, @Nullable String idempotencyKey) {
		SpawnRecord current = find(spawnId);
		if (idempotencyKey != null && current.hasUsageKey(idempotencyKey)) {
			return SpawnChange.unchanged(current);
		}
		SpawnRecord updated = current.withUsageAdded(usage);
		if (idempotencyKey != null) {
			updated = updated.withUsageKey(idempotencyKey);
		}
		ModelStats model = modelWithUsage(current.selectedModel(), spawnId, current.caste(), usage);
		store(updated, model);
		if (model != null && !usage.equals(Usage.NONE)) {
			countInTime(current, CasteStats.NONE.withUsage(usage.tokens(), usage.tools())
				.withPropensitySums(PropensitySums.change(current, updated)));
		}
		return new SpawnChange(updated, true, usage.tokens());
	}

	/** The current time of this state's clock, to the millisecond as in the file. */
	Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	public boolean hasChanges() {
		return !this.changes.isEmpty();
	}

	/**
	 * What changed since the last snapshot, for the backend to write: taken before
	 * {@link #toSnapshot}, which starts counting anew.
	 */
	public ChangeSet changes() {
		return this.changes.build(this.models, this.retained);
	}

	/** The lifetime aggregates of a model, or {@code null} if it has none. */
	public @Nullable ModelStats model(String model) {
		return this.models.get(model);
	}

	/** A snapshot of this state, which then counts as having no changes. */
	public TelemetrySnapshot toSnapshot(long version) {
		this.changes.clear();
		this.retained.clear();
		return new TelemetrySnapshot(version, this.lastUpdated, this.models, this.decisions.spawns());
	}

	private SpawnRecord find(String spawnId) {
		SpawnRecord spawn = findOrNull(spawnId);
		if (spawn == null) {
			throw new SpawnNotFoundException(spawnId);
		}
		return spawn;
	}

	private @Nullable SpawnRecord findOrNull(String spawnId) {
		SpawnRecord spawn = this.decisions.get(spawnId);
		if (spawn == null) {
			spawn = this.retained.computeIfAbsent(spawnId, this.findRetained);
		}
		return spawn;
	}

	/**
	 * Replaces a spawn and its model's aggregates; a file of the ancestor's may hold
	 * decisions on models it has no aggregates for, which stay without.
	 */
	private void store(SpawnRecord spawn, @Nullable ModelStats model) {
		if (!this.decisions.replace(spawn)) {
			this.retained.put(spawn.spawnId(), spawn);
		}
		this.changes.changed(spawn);
		if (model != null) {
			this.models.put(spawn.selectedModel(), model);
			this.changes.changed(spawn.selectedModel(), spawn.caste());
		}
		this.lastUpdated = now();
	}

	/**
	 * The aggregates of a spawn's model with its usage added to its caste, or none if the
	 * model has none.
	 */
	private @Nullable ModelStats modelWithUsage(String model, String spawnId, String caste, Usage usage) {
		ModelStats stats = this.models.get(model);
		if (stats == null || usage.equals(Usage.NONE)) {
			return stats;
		}
		try {
			return stats.withUsage(caste, usage.tokens(), usage.tools());
		}
		catch (ArithmeticException ex) {
			throw LimitExceededException.usageOverflow(spawnId);
		}
	}

	private void countInTime(SpawnRecord spawn, CasteStats change) {
		TimeCell.count(spawn, change, this.history, this.clock.instant(), this.changes::added);
	}

	/** Spawns that left the log are retained beyond it, where the backend retains any. */
	private void leftTheLog(List<SpawnRecord> left) {
		if (this.findRetained == NO_RETAINED_SPAWNS) {
			return;
		}
		for (SpawnRecord spawn : left) {
			this.retained.put(spawn.spawnId(), spawn);
			this.changes.rotatedOut(spawn.spawnId());
		}
	}

}
