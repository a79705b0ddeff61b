/**
 * The problems this service answers with, and the one way their answers are built; seen
 * by the domain, the features and the web layer alike, and knowing none of them.
 */
@NullMarked
package dev.spawntelemetry.problem;

import org.jspecify.annotations.NullMarked;
