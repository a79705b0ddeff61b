package dev.spawntelemetry.web;

import java.util.concurrent.RejectedExecutionException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.AsyncHandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Starts the asynchronous answer of a controller's {@link WriterAnswer}. The answer is
 * written only once the request's thread has left the filters ({@link WriterAnswerFilter}
 * hands it on from there), so no filter still working on the response on that thread can
 * meet it half written.
 */
class WriterAnswerHandler implements AsyncHandlerMethodReturnValueHandler {

	private final WriterAnswerWriter writer;

	WriterAnswerHandler(WriterAnswerWriter writer) {
		this.writer = writer;
	}

	@Override
	public boolean supportsReturnType(MethodParameter returnType) {
		return WriterAnswer.class.isAssignableFrom(returnType.getParameterType());
	}

	@Override
	public boolean isAsyncReturnValue(@Nullable Object returnValue, MethodParameter returnType) {
		return returnValue instanceof WriterAnswer;
	}

	@Override
	public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType,
			ModelAndViewContainer mavContainer, NativeWebRequest webRequest) {
		mavContainer.setRequestHandled(true);
		if (!(returnValue instanceof WriterAnswer<?> writerAnswer)) {
			return;
		}
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
		if (request == null || response == null) {
			throw new IllegalStateException("A WriterAnswer needs a servlet request and response");
		}
		AsyncContext async = request.startAsync(request, response);
		// none: the writer answers every write it was given (see WriterAnswer)
		async.setTimeout(0);
		PendingAnswer pending = new PendingAnswer(async, writerAnswer, request.getRequestURI(), this.writer);
		async.addListener(pending);
		if (request.getAttribute(WriterAnswerFilter.ACTIVE) != null) {
			request.setAttribute(WriterAnswerFilter.PENDING, pending);
		}
		else {
			pending.answerWhenDone();
		}
	}

	/**
	 * An answer on its way: written on a container thread once the writer completes it,
	 * unless the request ended before (the client went away).
	 */
	static final class PendingAnswer implements AsyncListener {

		private final AsyncContext async;

		private final WriterAnswer<?> answer;

		private final String instance;

		private final WriterAnswerWriter writer;

		private volatile boolean ended;

		PendingAnswer(AsyncContext async, WriterAnswer<?> answer, String instance, WriterAnswerWriter writer) {
			this.async = async;
			this.answer = answer;
			this.instance = instance;
			this.writer = writer;
		}

		void answerWhenDone() {
			this.answer.answer().whenComplete((entity, failure) -> {
				if (this.ended) {
					return;
				}
				try {
					this.async.start(() -> {
						try {
							if (!this.ended) {
								this.writer.write(this.async.getResponse(), entity, failure, this.instance);
							}
						}
						finally {
							complete();
						}
					});
				}
				catch (IllegalStateException | RejectedExecutionException ex) {
					// the request already ended, or the server stopped: nobody is left to
					// answer
					complete();
				}
			});
		}

		private void complete() {
			try {
				this.async.complete();
			}
			catch (IllegalStateException ex) {
				// ended meanwhile
			}
		}

		@Override
		public void onComplete(AsyncEvent event) {
			this.ended = true;
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			this.ended = true;
			complete();
		}

		@Override
		public void onError(AsyncEvent event) {
			this.ended = true;
			complete();
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
