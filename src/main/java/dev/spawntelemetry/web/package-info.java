/**
 * What is HTTP-wide: the RFC 9457 problem answers and the JSON rules every request body
 * follows.
 */
@NullMarked
package dev.spawntelemetry.web;

import org.jspecify.annotations.NullMarked;
