/**
 * The PostgreSQL backend, for several replicas: each replica's writer commits a batch in
 * one transaction (its spawns, aggregates and time buckets in one statement, bounded by
 * the lock and statement timeouts), and every replica refreshes its read model from the
 * committed version, so that replicas at a version answer alike. The schema is migrated
 * by Flyway; a JSON file can be imported into it.
 */
@NullMarked
package dev.spawntelemetry.store.postgres;

import org.jspecify.annotations.NullMarked;
