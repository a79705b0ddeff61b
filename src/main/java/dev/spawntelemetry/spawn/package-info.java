/**
 * Recording spawns, their outcomes and their usage.
 */
@NullMarked
package dev.spawntelemetry.spawn;

import org.jspecify.annotations.NullMarked;
