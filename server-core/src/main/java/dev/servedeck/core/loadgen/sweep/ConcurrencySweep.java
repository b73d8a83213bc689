package dev.servedeck.core.loadgen.sweep;

import dev.servedeck.core.loadgen.LoadResult;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SweepPlan}: the plan's load at each concurrency level in turn, each level a {@link LoadRun} on
 * fresh connections, one {@link SweepPoint} per level. The curve of those points (req/s against latency) shows
 * where a server stops giving throughput and starts giving only queueing.
 *
 * <p>It can be cancelled at any time: the level running stops sending (its answers in flight still count, so its
 * point is a short level) and no later level starts. A stop rule ({@link #lastLevelWhen}) ends it early, after the
 * first point that matches: the batching tuner stops climbing once the latency target breaks. Progress is a
 * snapshot taken by whoever displays it; nothing is pushed per request.
 */
public final class ConcurrencySweep {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrencySweep.class);

    private final LoadRunner runner;
    private final SweepPlan plan;
    private Predicate<SweepPoint> lastLevel = point -> false;
    private Consumer<SweepPoint> onPoint = point -> { };
    private final List<SweepPoint> points = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    private volatile LoadRun current;
    private volatile int level;

    public ConcurrencySweep(LoadRunner runner, SweepPlan plan) {
        this.runner = runner;
        this.plan = plan;
    }

    /** Ends the sweep after the first point that matches {@code rule} (that point is kept). */
    public ConcurrencySweep lastLevelWhen(Predicate<SweepPoint> rule) {
        this.lastLevel = rule;
        return this;
    }

    /** Called on the sweep's thread after each level. */
    public ConcurrencySweep onPoint(Consumer<SweepPoint> listener) {
        this.onPoint = listener;
        return this;
    }

    /** Runs every level on the calling thread and returns the points. */
    public SweepResult run() throws IOException, InterruptedException {
        String target = "";
        boolean stoppedEarly = false;
        List<Integer> levels = plan.levels();
        for (int i = 0; i < levels.size() && !cancelled; i++) {
            level = i;
            int concurrency = levels.get(i);
            LoadRun run = runner.start(plan.plan(concurrency));
            current = run;
            if (cancelled) {
                run.stop(); // cancelled while it connected
            }
            LoadResult result;
            try {
                result = run.result().get();
            } catch (ExecutionException e) {
                throw new IOException("the run at concurrency " + concurrency + " failed: " + e.getCause(), e.getCause());
            } finally {
                current = null;
            }
            if (target.isEmpty()) {
                target = result.target();
            }
            SweepPoint point = new SweepPoint(concurrency, result);
            points.add(point);
            onPoint.accept(point);
            if (!cancelled && i < levels.size() - 1 && lastLevel.test(point)) {
                stoppedEarly = true;
                break;
            }
        }
        level = Math.min(levels.size(), points.size());
        LOG.info("Sweep {}: {} of {} levels{}", cancelled ? "cancelled" : "done", points.size(), levels.size(),
                stoppedEarly ? " (stopped by its rule)" : "");
        return new SweepResult(target, plan, new ArrayList<>(points), cancelled, stoppedEarly);
    }

    /** Runs the sweep on its own daemon thread. */
    public CompletableFuture<SweepResult> start() {
        CompletableFuture<SweepResult> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(run());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        }, "loadgen-sweep");
        thread.setDaemon(true); // a sweep never keeps a JVM alive
        thread.start();
        return result;
    }

    /** Stops the level running (its answers in flight still count) and starts no other. */
    public void cancel() {
        cancelled = true;
        LoadRun running = current;
        if (running != null) {
            running.stop();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** The sweep now: cheap, for a display's refresh. */
    public SweepProgress progress() {
        LoadRun running = current;
        int index = level;
        List<Integer> levels = plan.levels();
        return new SweepProgress(index, levels.size(), levels.get(Math.min(index, levels.size() - 1)),
                running == null ? null : running.snapshot(), List.copyOf(points));
    }

    public SweepPlan plan() {
        return plan;
    }
}
