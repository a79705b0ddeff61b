/**
 * Routing: the service chooses a spawn's model among candidates by Thompson sampling on
 * evidence that forgets, with a floor on exploration and a change detector per caste ×
 * model.
 */
@NullMarked
package dev.spawntelemetry.routing;

import org.jspecify.annotations.NullMarked;
