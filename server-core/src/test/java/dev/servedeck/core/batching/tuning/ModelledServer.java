package dev.servedeck.core.batching.tuning;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.loadgen.Latencies;
import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadResult;
import dev.servedeck.core.loadgen.sweep.SweepPlan;
import dev.servedeck.core.loadgen.sweep.SweepPoint;
import dev.servedeck.core.loadgen.sweep.SweepResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A server in a formula, for the tuner's search: the two seams the tuner has ({@link BatchingControl} and
 * {@link TuningLoad}) over one set of parameters in force. What a level measures follows from them:
 * a batch of {@code b = min(concurrency, max_batch_size)} rows costs {@code 1 + 0.1 b} ms, so throughput is
 * {@code b / cost} rows per ms (10% less with more than one batch thread, which compete for the cores), and p99 is two
 * batch runs plus the batch timeout. Each level measured moves the clock on by a minute.
 */
final class ModelledServer implements BatchingControl, TuningLoad {

    final List<BatchingOptions> applied = new ArrayList<>();
    final MovingClock clock = new MovingClock();
    private BatchingOptions inForce;
    /** Parameters the server refuses, as a server with bounds would. */
    Predicate<BatchingOptions> refuses = options -> false;
    /** Fails the n-th climb (0-based), as a server that goes away would; -1 never. */
    int failClimb = -1;
    private int climbs;
    private volatile boolean cancelled;

    ModelledServer(BatchingOptions initial) {
        this.inForce = initial;
    }

    BatchingOptions inForce() {
        return inForce;
    }

    @Override
    public BatchingOptions current() {
        return inForce;
    }

    @Override
    public void apply(BatchingOptions options) throws IOException {
        if (refuses.test(options)) {
            throw new IOException("INVALID_ARGUMENT max_batch_size " + options.maxBatchSize() + " is too large here");
        }
        applied.add(options);
        inForce = options;
    }

    @Override
    public SweepResult climb(Predicate<SweepPoint> lastLevel, Consumer<SweepPoint> onPoint) throws IOException {
        if (climbs++ == failClimb) {
            throw new IOException("connection refused");
        }
        SweepPlan plan = new SweepPlan(SweepPlan.DEFAULT_LEVELS, LoadPlan.closedLoop(1, Duration.ofSeconds(1)));
        List<SweepPoint> points = new ArrayList<>();
        boolean early = false;
        for (int level : plan.levels()) {
            if (cancelled) {
                break;
            }
            SweepPoint point = new SweepPoint(level, measure(level));
            clock.advance(Duration.ofMinutes(1));
            points.add(point);
            onPoint.accept(point);
            if (lastLevel.test(point)) {
                early = level != plan.levels().get(plan.levels().size() - 1);
                break;
            }
        }
        return new SweepResult("modelled", plan, points, cancelled, early);
    }

    private LoadResult measure(int concurrency) {
        int batch = Math.min(concurrency, inForce.maxBatchSize());
        double costMillis = 1 + 0.1 * batch;
        double rowsPerSecond = batch / costMillis * 1000 * (inForce.numBatchThreads() > 1 ? 0.9 : 1);
        double p99Micros = (2 * costMillis) * 1000 + inForce.batchTimeoutMicros();
        long answered = Math.round(rowsPerSecond);
        Map<String, Long> statuses = new TreeMap<>(Map.of("OK", answered));
        return new LoadResult("modelled", LoadPlan.closedLoop(concurrency, Duration.ofSeconds(1)), 1,
                Duration.ofSeconds(1), answered, answered, answered, 0, rowsPerSecond, rowsPerSecond,
                new Latencies(answered, p99Micros / 2, p99Micros / 2, p99Micros * 0.8, p99Micros, p99Micros, p99Micros),
                new TreeMap<>(statuses), new TreeMap<>(), false);
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    /** A clock moved by hand. */
    static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T06:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
