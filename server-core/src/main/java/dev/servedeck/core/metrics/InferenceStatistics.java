package dev.servedeck.core.metrics;

import dev.servedeck.core.BatchSizeStatistics;
import dev.servedeck.core.DurationStatistic;
import dev.servedeck.core.ModelRun;
import dev.servedeck.core.ModelRunRecorder;
import dev.servedeck.core.VersionStatistics;
import dev.servedeck.core.batching.BatchObserver;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.RunPhases;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative statistics per model version, as the Open Inference Protocol's statistics extension reports them:
 * fed by the same events as the Prometheus metrics (finished calls, model runs, batch queue waits), never measured
 * a second time. Lock-free adders on the request and batch threads; {@link #of} reads a copy.
 *
 * <p>Bounded like the metrics: only versions that served (failed calls are counted under {@link FailedCallLabels
 * bounded labels}, and one that failed before a version was chosen under none), each dropped when it reaches END,
 * and at most {@value #MAX_BATCH_SIZES} batch sizes per version.
 */
public final class InferenceStatistics implements ModelRunRecorder, BatchObserver {

    /** Distinct batch sizes kept per version; runs of further sizes count in the totals only. */
    static final int MAX_BATCH_SIZES = 64;

    private final Clock clock;
    private final Map<ServableId, VersionCounters> versions = new ConcurrentHashMap<>();

    InferenceStatistics(Clock clock) {
        this.clock = clock;
    }

    /** A finished inference call: success or failure, its duration, the rows it answered. */
    void record(CompletedRequest request) {
        if (request.version() == CompletedRequest.UNKNOWN_VERSION) {
            return;
        }
        VersionCounters counters = counters(new ServableId(request.model(), request.version()));
        long now = clock.millis();
        // A read in most calls (many finish within the same millisecond); a racing older write may win by a
        // millisecond or so, which a client sampling this cannot tell from its own clock's skew.
        if (now > counters.lastInferenceMillis.get()) {
            counters.lastInferenceMillis.set(now);
        }
        if (request.ok()) {
            counters.success.add(request.latencyNanos());
            counters.inferenceCount.add(request.rows());
        } else {
            counters.fail.add(request.latencyNanos());
        }
    }

    /** A model run (one request alone, or a batch): the execution count and its phases. */
    @Override
    public void record(ModelRun run) {
        VersionCounters counters = counters(run.servable());
        counters.executionCount.increment();
        counters.compute.add(run.phases());
        PhaseCounters bySize = counters.batches.get(run.batchSize());
        if (bySize == null && counters.batches.size() < MAX_BATCH_SIZES) {
            bySize = counters.batches.computeIfAbsent(run.batchSize(), size -> new PhaseCounters());
        }
        if (bySize != null) {
            bySize.add(run.phases());
        }
    }

    /** The batch queue's wait, as the queuing latency histogram records it. */
    @Override
    public void dequeued(String threadPoolName, ServableId servable, long queuedNanos) {
        counters(servable).queue.add(Math.max(0, queuedNanos));
    }

    /** A version that ended (unloaded, or failed to load) keeps no statistics: a new load starts from zero. */
    void stateChanged(ServableState state) {
        if (state.state() == ManagerState.END) {
            versions.remove(state.id());
        }
    }

    /** What the version has done since it loaded; all zeros when it has served nothing. */
    public VersionStatistics of(ServableId id) {
        VersionCounters counters = versions.get(id);
        return counters == null ? VersionStatistics.none(id) : counters.read(id);
    }

    private VersionCounters counters(ServableId id) {
        VersionCounters counters = versions.get(id);
        return counters != null ? counters : versions.computeIfAbsent(id, key -> new VersionCounters());
    }

    private static final class DurationCounter {
        private final LongAdder count = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        void add(long duration) {
            count.increment();
            nanos.add(duration);
        }

        DurationStatistic read() {
            return new DurationStatistic(count.sum(), nanos.sum());
        }
    }

    private static final class PhaseCounters {
        private final DurationCounter input = new DurationCounter();
        private final DurationCounter infer = new DurationCounter();
        private final DurationCounter output = new DurationCounter();

        void add(RunPhases phases) {
            input.add(phases.inputNanos());
            infer.add(phases.inferNanos());
            output.add(phases.outputNanos());
        }
    }

    private static final class VersionCounters {
        private final AtomicLong lastInferenceMillis = new AtomicLong();
        private final LongAdder inferenceCount = new LongAdder();
        private final LongAdder executionCount = new LongAdder();
        private final DurationCounter success = new DurationCounter();
        private final DurationCounter fail = new DurationCounter();
        private final DurationCounter queue = new DurationCounter();
        private final PhaseCounters compute = new PhaseCounters();
        /** Hashed for the request threads' lookups; sorted when read. */
        private final Map<Long, PhaseCounters> batches = new ConcurrentHashMap<>();

        VersionStatistics read(ServableId id) {
            List<BatchSizeStatistics> bySize = new ArrayList<>(batches.size());
            new TreeMap<>(batches).forEach((size, phases) -> bySize.add(new BatchSizeStatistics(size,
                    phases.input.read(), phases.infer.read(), phases.output.read())));
            return new VersionStatistics(id, lastInferenceMillis.get(), inferenceCount.sum(), executionCount.sum(),
                    success.read(), fail.read(), queue.read(), compute.input.read(), compute.infer.read(),
                    compute.output.read(), List.copyOf(bySize));
        }
    }
}
