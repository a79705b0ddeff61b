/**
 * The read side: statistics computed from the current snapshot, never from the file.
 */
@NullMarked
package dev.spawntelemetry.stats;

import org.jspecify.annotations.NullMarked;
