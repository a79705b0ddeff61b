package dev.spawntelemetry.web;

import java.util.concurrent.CompletableFuture;

import org.springframework.http.ResponseEntity;

/**
 * What a write answers, once the writer has made it durable or refused it. A controller
 * returns it where it would return a {@code DeferredResult}: the answer is then written
 * when the writer completes it, without a second dispatch through Spring MVC and the
 * filters (which cost a durable write about a third of its CPU), and like a deferred
 * result it holds no request thread while the write waits for the disk. It has no timeout
 * of the web layer's: a timeout cannot know whether a write the writer has taken will
 * commit; the writer itself answers every write within its own bounds.
 *
 * @param <T> the body of a successful answer
 * @param answer the answer, or the refusal it fails with
 */
public record WriterAnswer<T>(CompletableFuture<ResponseEntity<T>> answer) {

}
