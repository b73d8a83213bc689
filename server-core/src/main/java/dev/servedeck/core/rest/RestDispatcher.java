package dev.servedeck.core.rest;

import dev.servedeck.core.ExpectedCall;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared by all connections: routes a request on its event loop and runs the call on the bounded request
 * executor (TF Serving's --rest_api_num_threads), so a slow model never stalls network I/O. A request
 * that waited in the queue longer than the REST timeout is answered DEADLINE_EXCEEDED without running;
 * what is left of the timeout goes to the core as the deadline of a request that waits for a batch. The
 * executor thread is free again once the call is queued, so the REST thread count does not cap batch sizes.
 * Calls whose answer is still pending are counted, so {@link #awaitAnswered} can let them finish at shutdown.
 */
final class RestDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RestDispatcher.class);

    private final RestRouter router;
    private final RestApiHandler api;
    private final OpenInferenceRestHandler openInference;
    private final MonitoringHandler monitoring;
    private final ExecutorService executor;
    private final long timeoutNanos;
    private final long timeoutMillis;
    private final int maxBodyBytes;
    private volatile boolean closing;
    private final Object answeredLock = new Object();
    private int unanswered;

    RestDispatcher(RestApiHandler api, OpenInferenceRestHandler openInference, MonitoringRoutes routes,
            MonitoringHandler monitoring, ExecutorService executor, Duration timeout, int maxBodyBytes) {
        this.router = new RestRouter(routes);
        this.openInference = openInference;
        this.monitoring = monitoring;
        this.api = api;
        this.executor = executor;
        this.timeoutNanos = timeout.toNanos();
        this.timeoutMillis = timeout.toMillis();
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Takes ownership of the request (releases it) and hands the answer to {@code done}, on the event loop
     * for answers known at once, else on an executor thread.
     */
    void dispatch(FullHttpRequest request, ByteBufAllocator alloc, Consumer<RestResponse> done) {
        RouteMatch match;
        try {
            match = router.route(request.method(), request.uri());
        } catch (RuntimeException e) {
            request.release();
            throw e;
        }
        if (match instanceof RouteMatch.Rejection rejection) {
            request.release();
            RestResponse error = api.error(rejection.status(), rejection.message(), alloc);
            done.accept(new RestResponse(error.status(), error.body(), rejection.allow()));
            return;
        }
        if (match instanceof RouteMatch.Monitoring monitored) {
            String accept = request.headers().get(HttpHeaderNames.ACCEPT);
            request.release();
            answerMonitoring(monitored, accept, alloc, done);
            return;
        }
        if (match instanceof RouteMatch.OpenInferenceCall call) {
            String headerLength = request.headers().get(OpenInferenceRestHandler.INFERENCE_HEADER_CONTENT_LENGTH);
            submit(request, alloc, done, openInference.expect(call), "v2 " + call.method(), call.model(),
                    (body, left) -> openInference.handle(call, body, headerLength, alloc, left));
            return;
        }
        RouteMatch.Call call = (RouteMatch.Call) match;
        submit(request, alloc, done, api.expect(call), call.method().name(), call.model(),
                (body, left) -> api.handle(call, body, alloc, left));
    }

    /** A call's work, given the request body and what is left of the REST timeout; never a failed future. */
    @FunctionalInterface
    private interface CallWork {
        CompletableFuture<RestResponse> run(JsonBody body, Duration left);
    }

    /**
     * Queues a call for a worker. While it waits, a Predict call is company a partial batch of its model may wait
     * for ({@code expected}); from the worker on, the core counts it.
     */
    private void submit(FullHttpRequest request, ByteBufAllocator alloc, Consumer<RestResponse> done,
            ExpectedCall expected, String method, String model, CallWork work) {
        long queuedAt = System.nanoTime();
        Consumer<RestResponse> counted = countUnanswered(done);
        try {
            executor.execute(() -> {
                expected.close();
                run(method, model, work, request, alloc, queuedAt, counted);
            });
        } catch (RejectedExecutionException e) {
            expected.close();
            request.release();
            answered();
            done.accept(closing || executor.isShutdown()
                    ? api.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "Server is shutting down", alloc)
                    : api.error(HttpResponseStatus.TOO_MANY_REQUESTS,
                            "Too many requests: the REST request queue is full", alloc));
        }
    }

    RestResponse tooLarge(ByteBufAllocator alloc) {
        return api.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "Request body too large: the limit is " + maxBodyBytes + " bytes", alloc);
    }

    /** The answer to a request a {@link RequestGate} turned away. */
    RestResponse refused(RefusedRequest refused, ByteBufAllocator alloc) {
        RestResponse error = api.error(refused.status(), refused.message(), alloc);
        return new RestResponse(error.status(), error.body(), null, null, refused.challenge());
    }

    RestResponse badHttp(ByteBufAllocator alloc) {
        return api.error(HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request", alloc);
    }

    boolean closing() {
        return closing;
    }

    void startClosing() {
        closing = true;
    }

    /**
     * Waits until every dispatched call has handed over its answer (calls waiting for a batch included), at
     * most {@code timeout}.
     *
     * @return whether all were answered
     */
    boolean awaitAnswered(Duration timeout) throws InterruptedException {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        synchronized (answeredLock) {
            while (unanswered > 0) {
                long left = giveUpAt - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                answeredLock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private Consumer<RestResponse> countUnanswered(Consumer<RestResponse> done) {
        synchronized (answeredLock) {
            unanswered++;
        }
        return response -> {
            try {
                done.accept(response);
            } finally {
                answered();
            }
        };
    }

    private void answered() {
        synchronized (answeredLock) {
            unanswered--;
            answeredLock.notifyAll();
        }
    }

    /** Scrapes can take milliseconds: they run on the request executor, never on the event loop. */
    private void answerMonitoring(RouteMatch.Monitoring route, String accept, ByteBufAllocator alloc,
            Consumer<RestResponse> done) {
        try {
            executor.execute(() -> {
                RestResponse response;
                try {
                    response = monitoring.handle(route, accept, closing, alloc);
                } catch (RuntimeException e) {
                    LOG.error("REST {} could not be answered", route.kind(), e);
                    response = api.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error", alloc);
                }
                done.accept(response);
            });
        } catch (RejectedExecutionException e) {
            done.accept(api.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "Server is busy or shutting down", alloc));
        }
    }

    private void run(String method, String model, CallWork work, FullHttpRequest request, ByteBufAllocator alloc,
            long queuedAt, Consumer<RestResponse> done) {
        CompletableFuture<RestResponse> response;
        try {
            long waited = System.nanoTime() - queuedAt;
            if (timeoutNanos > 0 && waited > timeoutNanos) {
                response = CompletableFuture.completedFuture(api.error(HttpResponseStatus.GATEWAY_TIMEOUT,
                        "Deadline exceeded: the request waited " + waited / 1_000_000 + " ms for a REST worker, over the "
                                + timeoutMillis + " ms REST API timeout", alloc));
            } else {
                // At least a nanosecond: zero would mean "no deadline" to the core.
                Duration left = timeoutNanos > 0 ? Duration.ofNanos(Math.max(1, timeoutNanos - waited)) : Duration.ZERO;
                response = work.run(JsonBody.of(request.content()), left);
            }
        } catch (RuntimeException | Error e) {
            // Only a failure to render even an error lands here; the connection gets closed instead of an answer.
            LOG.error("REST {} on model {} could not be answered", method, model, e);
            response = CompletableFuture.completedFuture(null);
        } finally {
            // The call has read the body by now (even one still waiting for its batch).
            request.release();
        }
        response.whenComplete((answer, error) -> {
            if (error != null) {
                LOG.error("REST {} on model {} could not be answered", method, model, error);
            }
            done.accept(error == null ? answer : null);
        });
    }
}
