package dev.servedeck.core.batching;

import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
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
     * Queues a request for batching. Never blocks.
     *
     * @return the request's own outputs, completed on a batch thread
     * @throws ServingException RESOURCE_EXHAUSTED when its queue is full, INVALID_ARGUMENT when it has more
     *     rows than max_batch_size, UNAVAILABLE when the scheduler is closing
     */
    public CompletableFuture<Map<String, TensorProto>> schedule(BatchRequest request) {
        long now = ticker.read();
        QueuedRequest queued = new QueuedRequest(request, now, deadline(now, request.timeout()));
        // As TF Serving, every request handed to batching counts, refused ones included.
        observer.requestArrived(request.servable(), request.inputs().rows());
        lock.lock();
        try {
            if (closing) {
                throw ServingException.unavailable("Server is shutting down: no new requests are batched");
            }
            BatchingOptions queueOptions = request.modelOptions().orElse(options);
            BatchKey key = BatchKey.of(request, queueOptions.padVariableLengthInputs());
            BatchQueue queue = queues.computeIfAbsent(key,
                    k -> new BatchQueue(k, request.modelOptions().orElse(null)));
            boolean needsAttention;
            try {
                needsAttention = queue.offer(queued, queue.options(options));
            } catch (ServingException e) {
                if (queue.isEmpty()) {
                    queues.remove(key);
                }
                if (e.code() == Code.RESOURCE_EXHAUSTED) {
                    observer.rejectedQueueFull(request.servable());
                }
                throw e;
            }
            if (needsAttention) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        return queued.result;
    }

    /** Counts a Predict request for {@code servable} that could not batch and ran on its own. */
    public void recordPassThrough(ServableId servable) {
        observer.passedThrough(servable);
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
                BatchExecution.run(batch.pieces, batch.options, batch.formedAt, batch.threadPoolName, observer);
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

    /** The next batch for the thread in {@code slot}, waiting until one is ready; null when the thread should exit. */
    private TakenBatch nextBatch(int slot) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (!closing && slot >= options.numBatchThreads()) {
                    return null;
                }
                long now = ticker.read();
                long wait = Long.MAX_VALUE;
                Iterator<BatchQueue> it = queues.values().iterator();
                while (it.hasNext()) {
                    BatchQueue queue = it.next();
                    BatchingOptions queueOptions = queue.options(options);
                    long readyAt = closing ? Long.MIN_VALUE : queue.readyAt(queueOptions);
                    if (readyAt > now) {
                        wait = Math.min(wait, readyAt - now);
                        continue;
                    }
                    List<TaskPiece> pieces = queue.poll(now, queueOptions, observer);
                    it.remove();
                    if (!queue.isEmpty()) {
                        // Round robin: the queue just served waits behind the others.
                        queues.put(queue.key(), queue);
                        work.signal();
                    }
                    if (!pieces.isEmpty()) {
                        return new TakenBatch(pieces, queueOptions, now, options.threadPoolName());
                    }
                    // Every waiting request had expired; the iterator is stale after the re-insert, so rescan.
                    it = queues.values().iterator();
                }
                if (closing && queues.isEmpty()) {
                    return null;
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
                + (o.enableLargeBatchSplitting() ? ", large batch splitting to " + o.maxExecutionBatchSize() : "");
    }

    /**
     * @param formedAt when the batch was taken from its queue (the end of its requests' queuing)
     * @param threadPoolName the pool running it, as the batch threads are named
     */
    private record TakenBatch(List<TaskPiece> pieces, BatchingOptions options, long formedAt, String threadPoolName) {
    }
}
