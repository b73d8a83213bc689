package dev.servedeck.core.metrics;

import dev.servedeck.core.status.Code;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * The requests of one key (a model version, a model, or everything) in a ring of fixed intervals.
 * Request threads record without locks (an HdrHistogram {@link Recorder} and {@link LongAdder}s); the
 * statistics thread closes an interval with {@link #roll()}, keeping the last {@code intervals} ones
 * (as sparse packed copies) and their running sum, so a window's percentiles never need a re-merge.
 */
final class RollingWindow {

    /** Latencies are tracked up to 10 minutes; longer ones count as 10 minutes. */
    static final long MAX_MICROS = 600_000_000L;
    private static final int DIGITS = 2;
    private static final Code[] CODES = Code.values();

    private final Recorder recorder = new Recorder(MAX_MICROS, DIGITS);
    private final LongAdder rows = new LongAdder();
    private final LongAdder[] errors = new LongAdder[CODES.length];
    private final int intervals;
    private final ArrayDeque<Interval> ring;
    private final Histogram windowLatency = new Histogram(MAX_MICROS, DIGITS);
    private final long[] windowErrors = new long[CODES.length];
    private Histogram recycled;
    private long windowRows;
    private Interval last;

    RollingWindow(int intervals) {
        this.intervals = intervals;
        this.ring = new ArrayDeque<>(intervals + 1);
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
        this.last = new Interval(new PackedHistogram(MAX_MICROS, DIGITS), 0, new long[CODES.length]);
    }

    /** Called on request threads; never blocks. */
    void record(CompletedRequest request) {
        recorder.recordValue(Math.max(0, Math.min(MAX_MICROS, request.latencyMicros())));
        if (request.ok()) {
            rows.add(request.rows());
        } else {
            errors[request.status().ordinal()].increment();
        }
    }

    /** Closes the current interval. Called by one thread at a time. */
    void roll() {
        recycled = recorder.getIntervalHistogram(recycled);
        PackedHistogram latency = new PackedHistogram(MAX_MICROS, DIGITS);
        latency.add(recycled);
        long[] intervalErrors = new long[CODES.length];
        for (int i = 0; i < CODES.length; i++) {
            intervalErrors[i] = errors[i].sumThenReset();
        }
        Interval closed = new Interval(latency, rows.sumThenReset(), intervalErrors);
        ring.addLast(closed);
        add(closed, 1);
        if (ring.size() > intervals) {
            add(ring.removeFirst(), -1);
        }
        last = closed;
    }

    private void add(Interval interval, int sign) {
        if (sign > 0) {
            windowLatency.add(interval.latency);
        } else {
            windowLatency.subtract(interval.latency);
        }
        windowRows += sign * interval.rows;
        for (int i = 0; i < CODES.length; i++) {
            windowErrors[i] += sign * interval.errors[i];
        }
    }

    /** True when the whole long window saw no request: the key may be forgotten. */
    boolean idle() {
        return windowLatency.getTotalCount() == 0;
    }

    ServingStatistics statistics(Duration resolution) {
        return new ServingStatistics(
                statistics(last.latency, last.rows, last.errors, resolution),
                statistics(windowLatency, windowRows, windowErrors, resolution.multipliedBy(ring.size())));
    }

    private static WindowStatistics statistics(AbstractHistogram latency, long rows, long[] errors,
            Duration window) {
        if (window.isZero()) {
            return WindowStatistics.empty(window);
        }
        double seconds = window.toNanos() / 1e9;
        Map<Code, Long> errorsByCode = new EnumMap<>(Code.class);
        for (int i = 0; i < CODES.length; i++) {
            if (errors[i] > 0) {
                errorsByCode.put(CODES[i], errors[i]);
            }
        }
        long requests = latency.getTotalCount();
        return new WindowStatistics(window, requests, rows, requests / seconds, rows / seconds,
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(95), latency.getValueAtPercentile(99),
                latency.getMaxValue(), errorsByCode);
    }

    private record Interval(PackedHistogram latency, long rows, long[] errors) {
    }

    /**
     * The statistics of several windows together (a model's versions, or everything), summed when the
     * statistics thread rolls, so a request thread records into one window only: each window costs its
     * recorder's atomic updates on every request, and those are what cores fight over under load.
     */
    static final class Sum {

        private final Histogram lastLatency = new Histogram(MAX_MICROS, DIGITS);
        private final long[] lastErrors = new long[CODES.length];
        private final Histogram windowLatency = new Histogram(MAX_MICROS, DIGITS);
        private final long[] windowErrors = new long[CODES.length];
        private long lastRows;
        private long windowRows;
        private int intervals;

        void add(RollingWindow window) {
            lastLatency.add(window.last.latency);
            lastRows += window.last.rows;
            windowLatency.add(window.windowLatency);
            windowRows += window.windowRows;
            for (int i = 0; i < CODES.length; i++) {
                lastErrors[i] += window.last.errors[i];
                windowErrors[i] += window.windowErrors[i];
            }
            intervals = Math.max(intervals, window.ring.size());
        }

        /** The long window covers the longest-lived of the windows summed, unless told otherwise. */
        ServingStatistics statistics(Duration resolution) {
            return statistics(resolution, intervals);
        }

        ServingStatistics statistics(Duration resolution, int longWindowIntervals) {
            return new ServingStatistics(
                    RollingWindow.statistics(lastLatency, lastRows, lastErrors, resolution),
                    RollingWindow.statistics(windowLatency, windowRows, windowErrors,
                            resolution.multipliedBy(longWindowIntervals)));
        }
    }
}
