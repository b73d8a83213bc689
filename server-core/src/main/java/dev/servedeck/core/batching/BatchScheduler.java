package dev.servedeck.core.batching;

import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.TensorProto;

/**
 * TF Serving's shared batch scheduler: one pool of {@code num_batch_threads} threads serving a bounded queue
 * per {@link BatchKey} (version, signature, requested outputs, input layout), so requests that cannot share
 * a batch never mix.
 *
 * <ul>
 *   <li>{@link #schedule} never blocks: it queues the request and returns a future, or fails at once
 *       (RESOURCE_EXHAUSTED when the queue holds max_enqueued_batches batches, INVALID_ARGUMENT for a
 *       request larger than max_batch_size, UNAVAILABLE after {@link #close}).</li>
 *   <li>A batch runs when it is full, or when its oldest request has waited batch_timeout_micros, measured
 *       on the injected {@link Ticker}. Threads take ready batches from the queues in turn.</li>
 *   <li>With the adaptive timeout (ServeDeck's, on by default) a partial batch runs sooner when no other
 *       request can join it soon: none for its model is {@link #arriving on its way} and no earlier batch of
 *       its queue is still running ({@link BatchQueue#readyAt}). A request that is such a batch all alone runs
 *       on the caller's thread, as it would without batching, if a batch thread is idle.</li>
 *   <li>At most num_batch_threads batches run at a time, wherever they run.</li>
 *   <li>A request whose deadline passes while it waits completes with DEADLINE_EXCEEDED and never runs.</li>
 *   <li>{@link #updateOptions} swaps the parameters while requests flow: batches are formed at the moment a
 *       thread takes one, so the next batch uses the new parameters and nothing queued is lost; the thread
 *       count follows too. Queues with per-model parameters keep theirs.</li>
 *   <li>Every event (request arrived, refused, expired, dequeued, batch run) goes to the {@link #stats()}
 *       recorder and to an optional {@link BatchObserver} (monitoring's per-observation metrics).</li>
 * </ul>
 */
public final class BatchScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);

    /** How long {@link #close()} lets queued batches run before failing what is left. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a queue may have a batch ready sooner than the waiting threads think. */
    private final Condition work = lock.newCondition();
    /** Signalled when a batch thread exits. */
    private final Condition threadExited = lock.newCondition();
    /** Insertion order is the round-robin order: a queue that was just served moves to the end. */
    private final LinkedHashMap<BatchKey, BatchQueue> queues = new LinkedHashMap<>();
    /** Live batch threads by slot; a thread whose slot is at or beyond num_batch_threads exits. */
    private final Map<Integer, Thread> threads = new HashMap<>();
    private final BatchingStatsRecorder stats = new BatchingStatsRecorder();
    private final IncomingRequests incoming = new IncomingRequests();
    /** Batches running now, on batch threads or on callers' threads; never more than num_batch_threads. */
    private int batchesRunning;
    /** The stats recorder, plus monitoring's observer when there is one. */
    private final BatchObserver observer;
    private volatile BatchingOptions options;
    private boolean closing;

    public BatchScheduler(BatchingOptions options, Ticker ticker) {
        this(options, ticker, BatchObserver.NONE);
    }

    /** As {@link #BatchScheduler(BatchingOptions, Ticker)}, telling {@code observer} what happens. */
    public BatchScheduler(BatchingOptions options, Ticker ticker, BatchObserver observer) {
        this.options = Objects.requireNonNull(options, "options");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.observer = Objects.requireNonNull(observer, "observer") == BatchObserver.NONE
                ? stats : new ObserverPair(stats, observer);
        lock.lock();
        try {
            startMissingThreads();
        } finally {
            lock.unlock();
        }
        LOG.info("Batching enabled: {}", describe(options));
    }

    /**
     * Announces a Predict request for {@code model} that has entered the core: until it is scheduled (pass it to
     * {@link #schedule(BatchRequest, ArrivingRequest)}) or the returned handle is closed, the adaptive timeout
     * holds the model's partial batches for it. Never blocks.
     */
    public ArrivingRequest arriving(String model) {
        incoming.add(model);
        return new ArrivingRequest(this, model);
    }

    /** {@link #schedule(BatchRequest, ArrivingRequest)} for a request that was not announced. */
    public CompletableFuture<Map<String, TensorProto>> schedule(BatchRequest request) {
        return schedule(request, ArrivingRequest.NONE);
    }

    /**
     * Queues a request for batching. Never blocks.
     *
     * @param arriving the request's announcement, if it was announced ({@link ArrivingRequest#NONE} if not): it
     *     stops being expected once the request is queued or refused
     * @return the request's own outputs, completed on a batch thread, or already completed when the request ran
     *     alone on this thread (see {@link #runsHere})
     * @throws ServingException RESOURCE_EXHAUSTED when its queue is full, INVALID_ARGUMENT when it has more
     *     rows than max_batch_size, UNAVAILABLE when the scheduler is closing
     */
    public CompletableFuture<Map<String, TensorProto>> schedule(BatchRequest request, ArrivingRequest arriving) {
        long now = ticker.read();
        QueuedRequest queued = new QueuedRequest(request, now, deadline(now, request.timeout()));
        // As TF Serving, every request handed to batching counts, refused ones included.
        observer.requestArrived(request.servable(), request.inputs().rows());
        TakenBatch runHere = null;
        lock.lock();
        try {
            // The request stops being expected under the lock and after the offer below (or its refusal): a batch
            // thread that no longer sees it on its way sees it queued.
            if (closing) {
                arriving.arrived(incoming);
                throw ServingException.unavailable("Server is shutting down: no new requests are batched");
            }
            BatchingOptions queueOptions = request.modelOptions().orElse(options);
            BatchKey key = BatchKey.of(request, queueOptions.padVariableLengthInputs());
            BatchQueue queue = queues.computeIfAbsent(key,
                    k -> new BatchQueue(k, request.modelOptions().orElse(null)));
            boolean wasEmpty = queue.isEmpty();
            boolean needsAttention;
            try {
                needsAttention = queue.offer(queued, queue.options(options));
            } catch (ServingException e) {
                if (queue.isIdle()) {
                    queues.remove(key);
                }
                if (e.code() == Code.RESOURCE_EXHAUSTED) {
                    observer.rejectedQueueFull(request.servable());
                }
                if (arriving.arrived(incoming)) {
                    work.signal();
                }
                throw e;
            }
            boolean lastOnTheWay = arriving.arrived(incoming);
            if (wasEmpty && runsHere(queue, now)) {
                runHere = take(queue, now, queue.options(options));
            }
            // The last request on its way may be what a partial batch of its model was held for. After a take here,
            // only what is left needs a thread (the pieces of a split request, or another queue of the model): a
            // thread woken for nothing would take the cores from this caller at one client at a time.
            boolean wake = runHere == null ? needsAttention || lastOnTheWay : anyQueued();
            if (wake) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        if (runHere != null) {
            run(runHere, true);
        }
        return queued.result;
    }

    /**
     * Whether a request that is alone in its queue runs on the caller's thread. A batch thread would run it at once
     * anyway (the adaptive timeout finds nothing to wait for and a thread is idle), so handing it over would only
     * add two thread switches to its latency, which at one client at a time costs more than the model run of a
     * small model. It takes an idle thread's place, so num_batch_threads still bounds the batches running. Callers
     * already run requests that cannot batch this way.
     */
    private boolean runsHere(BatchQueue queue, long now) {
        BatchingOptions queueOptions = queue.options(options);
        return queueOptions.adaptiveBatchTimeout() && batchesRunning < options.numBatchThreads()
                && queue.readyAt(queueOptions, incoming.any(queue.key().servable().name())) <= now;
    }

    /** Counts a Predict request for {@code servable} that could not batch and ran on its own. */
    public void recordPassThrough(ServableId servable) {
        observer.passedThrough(servable);
    }

    /**
     * An announced request will not be queued by this announcement: it is not batchable, it failed first, or a
     * front end hands it on to the core, which announces it again.
     */
    void notComing(ArrivingRequest arriving) {
        if (arriving.arrived(incoming)) {
            // The partial batches held for it may run now; the lock orders this after a thread's decision to wait.
            lock.lock();
            try {
                if (anyQueued()) {
                    work.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The parameters in force (per-model parameters aside). */
    public BatchingOptions options() {
        return options;
    }

    /**
     * Swaps the parameters while the server runs: the next batch formed uses them; queued requests stay
     * queued (a request that no longer fits a batch runs in a batch of its own); the batch threads grow or
     * shrink to the new num_batch_threads.
     *
     * @throws ServingException FAILED_PRECONDITION after {@link #close}
     */
    public void updateOptions(BatchingOptions newOptions) {
        Objects.requireNonNull(newOptions, "newOptions");
        lock.lock();
        try {
            if (closing) {
                throw ServingException.failedPrecondition("The batch scheduler is closed");
            }
            options = newOptions;
            startMissingThreads();
            work.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.info("Batching parameters updated: {}", describe(newOptions));
    }

    public BatchingStats stats() {
        SortedMap<String, QueueDepth> queuedByModel = new TreeMap<>();
        lock.lock();
        try {
            for (BatchQueue queue : queues.values()) {
                if (queue.isEmpty()) {
                    // Kept only while a batch of it runs.
                    continue;
                }
                queuedByModel.merge(queue.key().servable().name(),
                        QueueDepth.EMPTY.plus(queue.queuedPieces(), queue.queuedRows()),
                        (sum, more) -> sum.plus(more.tasks(), more.rows()));
            }
        } finally {
            lock.unlock();
        }
        return stats.snapshot(queuedByModel);
    }

    /** The number of live batch threads. */
    public int threadCount() {
        lock.lock();
        try {
            return threads.size();
        } finally {
            lock.unlock();
        }
    }

    /** Makes waiting threads re-read the ticker: for tests that move a fake ticker forward. */
    void tickerMoved() {
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting, runs what is queued (at most {@link #DEFAULT_DRAIN_TIMEOUT}), then stops the threads. */
    @Override
    public void close() {
        close(DEFAULT_DRAIN_TIMEOUT);
    }

    /**
     * Stops accepting requests (they get UNAVAILABLE), runs every queued batch without waiting for timeouts,
     * and stops the threads. Requests still queued after {@code drainTimeout} fail with UNAVAILABLE.
     */
    public void close(Duration drainTimeout) {
        long giveUpAt = System.nanoTime() + drainTimeout.toNanos();
        lock.lock();
        try {
            if (closing && threads.isEmpty()) {
                return;
            }
            closing = true;
            work.signalAll();
            while (!threads.isEmpty()) {
                long left = giveUpAt - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                threadExited.awaitNanos(left);
            }
            ServingException stopped = ServingException.unavailable(
                    "Server is shutting down: the request was still waiting for a batch");
            queues.values().forEach(queue -> queue.failAll(stopped));
            queues.clear();
            if (!threads.isEmpty()) {
                LOG.warn("{} batch thread(s) still running a batch after {} ms", threads.size(), drainTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        LOG.info("Batch scheduler stopped");
    }

    /** Starts threads for the empty slots below num_batch_threads. Caller holds the lock. */
    private void startMissingThreads() {
        BatchingOptions current = options;
        for (int slot = 0; slot < current.numBatchThreads(); slot++) {
            if (!threads.containsKey(slot)) {
                int mySlot = slot;
                Thread thread = new Thread(() -> work(mySlot), current.threadPoolName() + "-" + (slot + 1));
                // Daemon on purpose: ServerCore.close() drains and stops these threads in order; a scheduler
                // someone forgot to close must not keep the JVM alive.
                thread.setDaemon(true);
                threads.put(slot, thread);
                thread.start();
            }
        }
    }

    private void work(int slot) {
        try {
            while (true) {
                TakenBatch batch = nextBatch(slot);
                if (batch == null) {
                    return;
                }
                run(batch, false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("Batch thread {} failed", Thread.currentThread().getName(), e);
            throw e;
        } finally {
            lock.lock();
            try {
                threads.remove(slot);
                threadExited.signalAll();
                // A replacement may be due (the slot is still wanted, e.g. after an unexpected failure).
                if (!closing && slot < options.numBatchThreads()) {
                    startMissingThreads();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs a batch taken from its queue, on a batch thread or on the caller's ({@code onCaller}). */
    private void run(TakenBatch batch, boolean onCaller) {
        BatchExecution.run(batch.pieces, batch.options, batch.formedAt, batch.threadPoolName, observer,
                () -> batchFinished(batch.queue, onCaller));
    }

    /**
     * A batch of {@code queue} has run its model (its requests are about to hear back). The queue is forgotten once
     * idle. Requests it held back are looked at next by the batch thread that ran it; after a run on a caller's
     * thread, which does not look, a waiting thread is woken to (a batch's place is free again, too).
     */
    private void batchFinished(BatchQueue queue, boolean onCaller) {
        lock.lock();
        try {
            queue.batchFinished();
            batchesRunning--;
            if (queue.isIdle() && queues.get(queue.key()) == queue) {
                queues.remove(queue.key());
            }
            if (onCaller && anyQueued()) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock. */
    private boolean anyQueued() {
        for (BatchQueue queue : queues.values()) {
            if (!queue.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the first batch of {@code queue}, moving the queue behind the others (round robin) or forgetting it
     * when idle. Caller holds the lock.
     *
     * @return the batch, or null when every request waiting in it had expired
     */
    private TakenBatch take(BatchQueue queue, long now, BatchingOptions queueOptions) {
        List<TaskPiece> pieces = queue.poll(now, queueOptions, observer);
        queues.remove(queue.key());
        if (!pieces.isEmpty()) {
            queue.batchStarted();
            batchesRunning++;
        }
        if (!queue.isIdle()) {
            queues.put(queue.key(), queue);
        }
        return pieces.isEmpty() ? null : new TakenBatch(queue, pieces, queueOptions, now, options.threadPoolName());
    }

    /** The next batch for the thread in {@code slot}, waiting until one is ready; null when the thread should exit. */
    private TakenBatch nextBatch(int slot) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (!closing && slot >= options.numBatchThreads()) {
                    // What this thread would have looked at next is another thread's now.
                    work.signal();
                    return null;
                }
                if (closing && !anyQueued()) {
                    return null;
                }
                if (!closing && batchesRunning >= options.numBatchThreads()) {
                    // Every place is taken (a caller runs a batch): wait until one is free.
                    work.await();
                    continue;
                }
                long now = ticker.read();
                long wait = Long.MAX_VALUE;
                BatchQueue ready = null;
                for (BatchQueue queue : queues.values()) {
                    if (queue.isEmpty()) {
                        continue;
                    }
                    long readyAt = closing ? Long.MIN_VALUE : queue.readyAt(queue.options(options),
                            incoming.any(queue.key().servable().name()));
                    if (readyAt <= now) {
                        ready = queue;
                        break;
                    }
                    wait = Math.min(wait, readyAt - now);
                }
                if (ready != null) {
                    TakenBatch batch = take(ready, now, ready.options(options));
                    if (anyQueued()) {
                        // Another batch may be ready too, or become ready on its own timeout: let another thread
                        // look.
                        work.signal();
                    }
                    if (batch != null) {
                        return batch;
                    }
                    // Every request waiting in it had expired: look again.
                    continue;
                }
                if (wait == Long.MAX_VALUE) {
                    work.await();
                } else {
                    work.awaitNanos(wait);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static long deadline(long now, Duration timeout) {
        if (timeout.isZero()) {
            return Long.MAX_VALUE;
        }
        long nanos = timeout.isNegative() ? -1 : saturatedNanos(timeout);
        long deadline = now + nanos;
        return nanos > 0 && deadline < now ? Long.MAX_VALUE : deadline;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String describe(BatchingOptions o) {
        return "max_batch_size " + o.maxBatchSize() + ", batch_timeout_micros " + o.batchTimeoutMicros()
                + ", max_enqueued_batches " + o.maxEnqueuedBatches() + ", num_batch_threads " + o.numBatchThreads()
                + (o.allowedBatchSizes().isEmpty() ? "" : ", allowed_batch_sizes " + o.allowedBatchSizes())
                + (o.padVariableLengthInputs() ? ", pad_variable_length_inputs" : "")
                + (o.enableLargeBatchSplitting() ? ", large batch splitting to " + o.maxExecutionBatchSize() : "")
                + (o.adaptiveBatchTimeout() ? ", adaptive timeout" : ", fixed timeout (adaptive_batch_timeout off)");
    }

    /**
     * @param queue the queue it was taken from
     * @param formedAt when the batch was taken from its queue (the end of its requests' queuing)
     * @param threadPoolName the pool running it, as the batch threads are named
     */
    private record TakenBatch(BatchQueue queue, List<TaskPiece> pieces, BatchingOptions options, long formedAt,
            String threadPoolName) {
    }
}
