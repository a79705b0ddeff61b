/**
 * Who may write and who may read: optional bearer tokens.
 */
@NullMarked
package dev.spawntelemetry.security;

import org.jspecify.annotations.NullMarked;
