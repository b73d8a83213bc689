package dev.servedeck.core.loadgen;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link LoadPlan} against a {@link LoadTarget}: the load engine.
 *
 * <p>Requests are numbered in the order they are sent. In a closed loop a request's intended send time is the
 * moment a connection is free; in an open loop it is {@code start + i / rate}, whether or not a connection is
 * free then, and latency counts from that time: a server that stalls makes the requests scheduled behind the
 * stall late, and their latency shows it (the coordinated-omission correction). Requests are all alike, so
 * the requests waiting for a connection are a count (due minus sent), never a queue of objects: what a run
 * holds is bounded by its concurrency however far the server falls behind.
 *
 * <p>Sending is done by whichever thread frees a connection (an answer on a transport thread) or, in an open
 * loop, by the pacing thread when the next send time comes; a work-in-progress counter lets one thread at a
 * time decide, without locks and without recursion when a failure is reported inline. Answers are recorded
 * in an HdrHistogram {@link Recorder} (lock-free for writers); {@link #snapshot()} swaps its interval
 * histogram out, so snapshots cost the same at any request rate. Time is {@link System#nanoTime()}: a load
 * generator measures real time, so there is nothing to gain from an injected clock here.
 */
public final class LoadRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadRun.class);
    /** How often the driver looks for the end, a stop and overdue requests when nothing else wakes it. */
    private static final long DRIVER_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long {@link #close()} waits for the answers in flight. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final LoadTarget target;
    private final LoadPlan plan;
    private final List<Slot> slots;
    private final ConcurrentLinkedQueue<Slot> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long startNanos;
    private final long measureFromNanos;
    private final long endNanos;
    private final double periodNanos;

    /** The number of the next request to send; written only by the thread that holds {@link #wip}. */
    private volatile long nextIndex;
    /** Measured requests sent; written only by the thread that holds {@link #wip}. */
    private volatile long measuredSent;
    private volatile boolean sendingStopped;
    private volatile long sendingStoppedNanos;
    private volatile long lastAnswerNanos;

    private final Recorder recorder = new Recorder(3);
    private final LongAdder answered = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Set<String> errorStatuses = ConcurrentHashMap.newKeySet();

    /** Guarded by this: the snapshot side of the recorder. */
    private final Histogram total = new Histogram(3);
    private Histogram recycled;
    private long lastSnapshotNanos;
    private long lastSnapshotAnswered;

    private final CompletableFuture<LoadResult> result = new CompletableFuture<>();
    private final Thread driver;

    private LoadRun(LoadTarget target, LoadPlan plan, List<LoadConnection> connections) {
        this.target = target;
        this.plan = plan;
        this.periodNanos = plan.openLoop() ? 1e9 / plan.ratePerSecond() : 0;
        this.startNanos = System.nanoTime();
        this.measureFromNanos = startNanos + plan.warmUp().toNanos();
        this.endNanos = plan.duration() == null ? Long.MAX_VALUE : measureFromNanos + plan.duration().toNanos();
        this.lastSnapshotNanos = measureFromNanos;
        this.lastAnswerNanos = measureFromNanos;
        List<Slot> made = new ArrayList<>();
        for (LoadConnection connection : connections) {
            made.add(new Slot(connection));
        }
        this.slots = List.copyOf(made);
        idle.addAll(slots);
        this.driver = new Thread(this::drive, "loadgen-driver");
        driver.setDaemon(true); // a run never keeps a JVM alive: the CLI exits on its own, the console on close
    }

    /**
     * Opens {@code plan.concurrency()} connections and starts sending. The run owns {@code target} from here on
     * and closes it when it ends.
     *
     * @throws IOException when a connection cannot be opened (the target is closed then)
     */
    public static LoadRun start(LoadTarget target, LoadPlan plan) throws IOException, InterruptedException {
        List<LoadConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < plan.concurrency(); i++) {
                connections.add(target.connect());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            connections.forEach(LoadConnection::close);
            target.close();
            throw e;
        }
        LoadRun run = new LoadRun(target, plan, connections);
        LOG.info("Load: {} to {}", plan.describe(), target.describe());
        run.driver.start();
        run.dispatch();
        return run;
    }

    /** Completes once every answer is in (after the plan's end or {@link #stop()}), with the target closed. */
    public CompletableFuture<LoadResult> result() {
        return result;
    }

    /** Sends no more; the answers in flight still come and count. */
    public void stop() {
        stopSending();
        LockSupport.unpark(driver);
    }

    /** Stops and waits a little for the answers in flight (the target is closed either way). */
    @Override
    public void close() {
        stop();
        try {
            result.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("Load run closed before its answers were in: {}", e.toString());
        }
    }

    /** The run now; cheap, for a display's refresh (not per request). */
    public synchronized LoadSnapshot snapshot() {
        long now = System.nanoTime();
        Histogram interval = recorder.getIntervalHistogram(recycled);
        total.add(interval);
        recycled = interval;
        long answeredNow = answered.sum();
        double seconds = (now - lastSnapshotNanos) / 1e9;
        double recentRate = seconds <= 0 ? 0 : (answeredNow - lastSnapshotAnswered) / seconds;
        lastSnapshotNanos = now;
        lastSnapshotAnswered = answeredNow;
        long measuredNanos = Math.max(0, Math.min(now, lastAnswerAfterEnd(now)) - measureFromNanos);
        return new LoadSnapshot(phase(now), Duration.ofNanos(measuredNanos), progress(now), measuredSent, answeredNow,
                answeredNow - ok.sum(), backlog(now), recentRate,
                measuredNanos == 0 ? 0 : answeredNow / (measuredNanos / 1e9),
                Latencies.of(interval), Latencies.of(total), counts(statuses.keySet()), counts(errorStatuses));
    }

    private long lastAnswerAfterEnd(long now) {
        return sendingStopped ? lastAnswerNanos : now;
    }

    private LoadPhase phase(long now) {
        if (result.isDone()) {
            return LoadPhase.DONE;
        }
        if (sendingStopped) {
            return LoadPhase.DRAINING;
        }
        return now < measureFromNanos ? LoadPhase.WARMING_UP : LoadPhase.MEASURING;
    }

    private double progress(long now) {
        if (result.isDone()) {
            return 1;
        }
        if (plan.duration() != null) {
            return Math.max(0, Math.min(1, (now - measureFromNanos) / (double) plan.duration().toNanos()));
        }
        return Math.min(1, measuredSent / (double) plan.requests());
    }

    /** Open loop: requests whose send time has come but that have no connection yet. */
    private long backlog(long now) {
        if (!plan.openLoop()) {
            return 0;
        }
        long until = sendingStopped ? Math.min(sendingStoppedNanos, endNanos) : Math.min(now, endNanos);
        return Math.max(0, dueBy(until) - nextIndex);
    }

    /** How many requests the schedule has sent by {@code nanos}: those with an intended time before it. */
    private long dueBy(long nanos) {
        if (nanos <= startNanos) {
            return 0;
        }
        return (long) Math.ceil((nanos - startNanos) / periodNanos);
    }

    private long intendedTime(long index) {
        return startNanos + (long) (index * periodNanos);
    }

    private SortedMap<String, Long> counts(Set<String> which) {
        SortedMap<String, Long> counted = new TreeMap<>();
        statuses.forEach((status, count) -> {
            if (which.contains(status)) {
                counted.put(status, count.sum());
            }
        });
        return counted;
    }

    private void stopSending() {
        if (!sendingStopped) {
            sendingStoppedNanos = System.nanoTime();
            sendingStopped = true;
        }
    }

    /** Sends while a connection is free and a request is due; one thread at a time, the others leave it work. */
    private void dispatch() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            sendWhileDue();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void sendWhileDue() {
        while (!sendingStopped) {
            Slot slot = idle.peek();
            if (slot == null) {
                return;
            }
            long now = System.nanoTime();
            long intended = plan.openLoop() ? intendedTime(nextIndex) : now;
            if (intended > now) {
                return; // the pacing thread comes back at that time
            }
            if (intended >= endNanos) {
                stopSending();
                return;
            }
            boolean measured = intended >= measureFromNanos;
            if (measured && plan.duration() == null && measuredSent >= plan.requests()) {
                stopSending();
                return;
            }
            idle.poll();
            nextIndex++;
            if (measured) {
                measuredSent++;
            }
            inFlight.incrementAndGet();
            slot.send(intended, measured, now);
        }
    }

    private void answered(Slot slot, String status, boolean success) {
        long now = System.nanoTime();
        if (slot.measured) {
            recorder.recordValue(Math.max(0, now - slot.intendedNanos));
            answered.increment();
            if (success) {
                ok.increment();
            } else {
                errorStatuses.add(status);
            }
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            lastAnswerNanos = now;
        }
        slot.inFlight = false;
        idle.offer(slot);
        // After the slot is back: the driver sees in-flight 0 only once the slot can be closed.
        inFlight.decrementAndGet();
        if (!sendingStopped) {
            dispatch();
        } else if (inFlight.get() == 0) {
            LockSupport.unpark(driver);
        }
    }

    /** The pacing and watchdog thread: open-loop send times, the planned end, timeouts, and finishing. */
    private void drive() {
        try {
            while (!(sendingStopped && inFlight.get() == 0)) {
                long now = System.nanoTime();
                if (!sendingStopped && now >= endNanos) {
                    stopSending();
                }
                if (!sendingStopped && plan.openLoop()) {
                    dispatch();
                }
                abandonOverdue(now);
                long wake = now + DRIVER_TICK_NANOS;
                if (plan.openLoop() && !sendingStopped) {
                    wake = Math.min(wake, intendedTime(nextIndex));
                }
                wake = Math.min(wake, endNanos);
                long wait = wake - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
            finish();
        } catch (RuntimeException | Error e) {
            LOG.error("Load run failed", e);
            slots.forEach(slot -> slot.connection.close());
            target.close();
            result.completeExceptionally(e);
        }
    }

    private void abandonOverdue(long now) {
        long timeout = plan.timeout().toNanos();
        for (Slot slot : slots) {
            if (slot.inFlight && !slot.timedOut && now - slot.sentNanos > timeout) {
                slot.timedOut = true;
                slot.connection.abandon();
            }
        }
    }

    private void finish() {
        LoadSnapshot last = snapshot();
        long unsent = plan.openLoop() && plan.duration() != null ? backlog(System.nanoTime()) : 0;
        slots.forEach(slot -> slot.connection.close());
        target.close();
        Duration measured = last.measured();
        double seconds = measured.toNanos() / 1e9;
        long okCount = ok.sum();
        LoadResult done = new LoadResult(target.describe(), plan, target.rowsPerRequest(), measured, measuredSent,
                last.answered(), okCount, unsent, seconds == 0 ? 0 : last.answered() / seconds,
                seconds == 0 ? 0 : okCount * (double) target.rowsPerRequest() / seconds, last.total(),
                last.statuses(), last.errors(), plan.openLoop());
        LOG.info("Load done: {} answered ({} ok) in {} ms, {} req/s, p50 {} us, p99 {} us", done.answered(), okCount,
                measured.toMillis(), Math.round(done.requestsPerSecond()), Math.round(done.latency().p50Micros()),
                Math.round(done.latency().p99Micros()));
        result.complete(done);
    }

    /** One connection and the request on it; also its answer listener, so a request allocates nothing here. */
    private final class Slot implements AnswerListener {
        final LoadConnection connection;
        long intendedNanos;
        boolean measured;
        volatile long sentNanos;
        volatile boolean inFlight;
        volatile boolean timedOut;

        Slot(LoadConnection connection) {
            this.connection = connection;
        }

        void send(long intended, boolean measuredRequest, long now) {
            intendedNanos = intended;
            measured = measuredRequest;
            timedOut = false;
            sentNanos = now;
            inFlight = true;
            connection.send(this);
        }

        @Override
        public void answered(String status, boolean success) {
            LoadRun.this.answered(this, timedOut ? "timeout" : status, success && !timedOut);
        }

        @Override
        public void failed(String reason) {
            LoadRun.this.answered(this, timedOut ? "timeout" : reason, false);
        }
    }
}
