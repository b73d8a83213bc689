package dev.servedeck.console.testing;

import dev.servedeck.core.loadgen.AnswerListener;
import dev.servedeck.core.loadgen.LoadConnection;
import dev.servedeck.core.loadgen.LoadTarget;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A load target in memory for ViewModel tests: request n (from 1) gets the status {@code statusOf(n)} ("200",
 * "400"; "!reason" for a failure without an answer), inline, or, while {@link #hold} is set, when the test
 * releases it. Counts requests and the most in flight at once.
 */
public final class ScriptedLoadTarget implements LoadTarget {

    private final LongFunction<String> statusOf;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
    public volatile boolean hold;
    public volatile boolean closed;

    public ScriptedLoadTarget(LongFunction<String> statusOf) {
        this.statusOf = statusOf;
    }

    public static ScriptedLoadTarget allOk() {
        return new ScriptedLoadTarget(n -> "200");
    }

    public long sent() {
        return sent.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public int held() {
        return held.size();
    }

    /** Answers every held request (and sends the answers inline from now on). */
    public void release() {
        hold = false;
        for (Runnable answer = held.poll(); answer != null; answer = held.poll()) {
            answer.run();
        }
    }

    @Override
    public LoadConnection connect() {
        return new LoadConnection() {
            @Override
            public void send(AnswerListener listener) {
                long number = sent.incrementAndGet();
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                Runnable answer = () -> {
                    inFlight.decrementAndGet();
                    String status = statusOf.apply(number);
                    if (status.startsWith("!")) {
                        listener.failed(status.substring(1));
                    } else {
                        listener.answered(status, status.startsWith("2"));
                    }
                };
                if (hold) {
                    held.add(answer);
                } else {
                    answer.run();
                }
            }

            @Override
            public void abandon() {
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String describe() {
        return "scripted";
    }

    @Override
    public int rowsPerRequest() {
        return 1;
    }

    @Override
    public void close() {
        closed = true;
    }
}
