package dev.servedeck.console.monitor;

import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Sends one request {@code total} times with at most {@code concurrency} in flight, through the backend's
 * asynchronous REST client: no thread per request, the next request leaves when one completes. Counts
 * answers (2xx is ok; other statuses and transport failures are failed) and can be stopped; requests in
 * flight then still complete and are counted.
 *
 * <p>Completions arrive on the HTTP client's threads, or inline when a future is already complete; a
 * work-in-progress counter serializes the sending loop without recursion in the second case.
 */
final class LoadGenerator {

    /** Counters at one moment. */
    record Progress(int total, int sent, int ok, int failed, long elapsedNanos, String lastFailure, boolean done) {

        int completed() {
            return ok + failed;
        }

        /** Answers per second since the start. */
        double requestsPerSecond() {
            return elapsedNanos <= 0 ? 0 : completed() / (elapsedNanos / 1e9);
        }
    }

    private final Function<RestCall, CompletableFuture<RestReply>> send;
    private final RestCall call;
    private final int total;
    private final int concurrency;
    private final LongSupplier nanoTime;

    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("");
    private final CompletableFuture<Progress> finished = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile long startedNanos;

    LoadGenerator(Function<RestCall, CompletableFuture<RestReply>> send, RestCall call, int total, int concurrency,
            LongSupplier nanoTime) {
        if (total < 1 || concurrency < 1) {
            throw new IllegalArgumentException("total and concurrency must be positive");
        }
        this.send = send;
        this.call = call;
        this.total = total;
        this.concurrency = concurrency;
        this.nanoTime = nanoTime;
    }

    /** Starts sending; the future completes with the final counts once every sent request has an answer. */
    CompletableFuture<Progress> start() {
        startedNanos = nanoTime.getAsLong();
        pump();
        return finished;
    }

    /** Sends no more requests; those in flight complete. */
    void stop() {
        stopped = true;
        pump();
    }

    Progress progress() {
        return finished.isDone() ? finished.join() : counts(nanoTime.getAsLong(), false);
    }

    private Progress counts(long nowNanos, boolean done) {
        return new Progress(total, sent.get(), ok.get(), failed.get(), nowNanos - startedNanos, lastFailure.get(), done);
    }

    /** Sends while there is room; whoever enters while another thread loops makes that thread loop again. */
    private void pump() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        while (true) {
            while (!stopped && sent.get() < total && inFlight.get() < concurrency) {
                sent.incrementAndGet();
                inFlight.incrementAndGet();
                sendOne();
            }
            if (inFlight.get() == 0 && (stopped || sent.get() >= total) && !finished.isDone()) {
                finished.complete(counts(nanoTime.getAsLong(), true));
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void sendOne() {
        CompletableFuture<RestReply> reply;
        try {
            reply = send.apply(call);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((answer, error) -> {
            if (error == null && answer.ok()) {
                ok.incrementAndGet();
            } else {
                failed.incrementAndGet();
                lastFailure.set(error != null ? Failures.message(error)
                        : "HTTP " + answer.statusCode() + ": " + abbreviate(answer.body()));
            }
            inFlight.decrementAndGet();
            pump();
        });
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
