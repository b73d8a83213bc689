package dev.servedeck.core.batching;

import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces waiting for batches of one {@link BatchKey}, oldest first. Not thread-safe: the scheduler
 * calls it under its lock.
 *
 * <p>Batches are formed only when a thread takes one ({@link #poll}), with the options current at that
 * moment, so a live parameter change applies to the next batch and loses no queued request. To enforce
 * {@code max_enqueued_batches} the queue keeps a count of the batches its pieces would fill with the same
 * greedy packing, re-counted whenever the options change or pieces leave out of order.
 */
final class BatchQueue {

    private final BatchKey key;
    /** Per-model options that replace the scheduler's, or null to follow the scheduler's live ones. */
    private final BatchingOptions ownOptions;
    private final ArrayDeque<TaskPiece> pieces = new ArrayDeque<>();
    private BatchingOptions packedWith;
    private long batches;
    private int openBatchRows;
    private long queuedRows;
    /** Batches taken from this queue whose run has not finished. */
    private int runningBatches;

    BatchQueue(BatchKey key, BatchingOptions ownOptions) {
        this.key = key;
        this.ownOptions = ownOptions;
    }

    BatchKey key() {
        return key;
    }

    BatchingOptions options(BatchingOptions schedulerOptions) {
        return ownOptions != null ? ownOptions : schedulerOptions;
    }

    boolean isEmpty() {
        return pieces.isEmpty();
    }

    /** Nothing queued and nothing running: the scheduler may forget the queue. */
    boolean isIdle() {
        return pieces.isEmpty() && runningBatches == 0;
    }

    /** A batch taken by {@link #poll} starts running. */
    void batchStarted() {
        runningBatches++;
    }

    /** A batch taken from this queue has finished running. */
    void batchFinished() {
        runningBatches--;
    }

    int queuedPieces() {
        return pieces.size();
    }

    long queuedRows() {
        return queuedRows;
    }

    /**
     * Queues a request, cut into pieces when large batch splitting is on.
     *
     * @return true when the queue needs a batch thread's attention (it was empty, or its first batch is now full)
     * @throws ServingException INVALID_ARGUMENT when the request is larger than max_batch_size,
     *     RESOURCE_EXHAUSTED when it would need more than max_enqueued_batches batches
     */
    boolean offer(QueuedRequest request, BatchingOptions options) {
        repackIfChanged(options);
        int rows = request.rows();
        if (rows > options.maxBatchSize()) {
            // TF Serving's wording (shared_batch_scheduler.h).
            throw ServingException.invalidArgument("Task size " + rows + " is larger than maximum input batch size "
                    + options.maxBatchSize());
        }
        int limit = options.executionBatchLimit();
        List<Integer> sizes = new ArrayList<>();
        long newBatches = batches;
        int newOpenRows = openBatchRows;
        if (options.enableLargeBatchSplitting()) {
            int left = rows;
            int room = batches == 0 ? 0 : Math.max(0, limit - openBatchRows);
            if (room > 0) {
                int first = Math.min(room, left);
                sizes.add(first);
                newOpenRows += first;
                left -= first;
            }
            while (left > 0) {
                int size = Math.min(limit, left);
                sizes.add(size);
                newBatches++;
                newOpenRows = size;
                left -= size;
            }
        } else {
            sizes.add(rows);
            if (batches == 0 || openBatchRows + rows > limit) {
                newBatches++;
                newOpenRows = rows;
            } else {
                newOpenRows += rows;
            }
        }
        if (newBatches > options.maxEnqueuedBatches()) {
            throw new ServingException(Code.RESOURCE_EXHAUSTED, "The batch queue of " + key + " is full: "
                    + batches + " batch(es) of up to " + limit + " rows are waiting (max_enqueued_batches is "
                    + options.maxEnqueuedBatches() + "). Retry later or raise max_enqueued_batches.");
        }
        boolean wasEmpty = pieces.isEmpty();
        pieces.addAll(request.cut(sizes));
        batches = newBatches;
        openBatchRows = newOpenRows;
        queuedRows += rows;
        return wasEmpty || firstBatchClosed(options) || options.batchTimeoutMicros() == 0;
    }

    /**
     * When the first batch may run: at once when it is full (or closed by a piece that did not fit), else when its
     * oldest request has waited batch_timeout_micros. {@link Long#MAX_VALUE} when empty.
     *
     * <p>With the adaptive timeout, a partial batch also runs at once when no other request can join it soon:
     * <ul>
     *   <li>none of its model is on its way into a queue ({@code requestsOnTheWay}, see {@link IncomingRequests});
     *       those are microseconds away, and waiting for them is what makes a burst one batch;</li>
     *   <li>and no earlier batch of this queue is still running. As Nagle's algorithm holds small segments while
     *       one is unacknowledged, requests that come while the queue's batch runs gather into the next batch
     *       instead of each taking an idle thread and the cores from the running one; when it finishes they run
     *       at once, so under load batches grow with the load and at low load nothing waits.</li>
     * </ul>
     * Arrival rates are deliberately not used: with one client sending request after request, the rate is high
     * only because each answer comes quickly, and it would predict company that never comes. The rule only ever
     * runs a batch earlier than TF Serving would, never later.
     */
    long readyAt(BatchingOptions options, boolean requestsOnTheWay) {
        if (pieces.isEmpty()) {
            return Long.MAX_VALUE;
        }
        repackIfChanged(options);
        if (firstBatchClosed(options)) {
            return Long.MIN_VALUE;
        }
        if (options.adaptiveBatchTimeout() && !requestsOnTheWay && runningBatches == 0) {
            return Long.MIN_VALUE;
        }
        long at = pieces.peekFirst().request().enqueuedAt + options.batchTimeoutNanos();
        return at < pieces.peekFirst().request().enqueuedAt ? Long.MAX_VALUE : at;
    }

    /**
     * Takes the first batch: pieces from the front while they fit the execution limit (a single piece that
     * is larger, queued before the limit shrank, forms a batch of its own). Pieces whose request has failed
     * are dropped; requests whose deadline has passed fail with DEADLINE_EXCEEDED and never run.
     *
     * @return the pieces, possibly empty when every waiting request had expired
     */
    List<TaskPiece> poll(long now, BatchingOptions options, BatchObserver observer) {
        repackIfChanged(options);
        int limit = options.executionBatchLimit();
        List<TaskPiece> batch = new ArrayList<>();
        int rows = 0;
        boolean droppedAny = false;
        while (!pieces.isEmpty()) {
            TaskPiece piece = pieces.peekFirst();
            QueuedRequest request = piece.request();
            if (request.done() || request.deadline <= now) {
                pieces.pollFirst();
                queuedRows -= piece.rows();
                droppedAny = true;
                if (!request.done()) {
                    observer.expired(key.servable());
                    request.fail(new ServingException(Code.DEADLINE_EXCEEDED, "Deadline exceeded: the request waited "
                            + (now - request.enqueuedAt) / 1_000_000 + " ms in the batch queue of " + key
                            + " and was dropped without running"));
                }
                continue;
            }
            if (!batch.isEmpty() && rows + piece.rows() > limit) {
                break;
            }
            pieces.pollFirst();
            queuedRows -= piece.rows();
            if (!request.tryStart()) {
                // Failed a moment ago, on a batch thread running another of its pieces.
                droppedAny = true;
                continue;
            }
            batch.add(piece);
            rows += piece.rows();
            if (rows >= limit) {
                break;
            }
        }
        if (droppedAny || pieces.isEmpty()) {
            repack(options);
        } else {
            batches--;
        }
        return batch;
    }

    /** Empties the queue, failing every request still waiting (the scheduler stopped before it could run them). */
    void failAll(ServingException error) {
        for (TaskPiece piece : pieces) {
            piece.request().fail(error);
        }
        pieces.clear();
        queuedRows = 0;
        batches = 0;
        openBatchRows = 0;
    }

    private boolean firstBatchClosed(BatchingOptions options) {
        return batches > 1 || batches == 1 && openBatchRows >= options.executionBatchLimit();
    }

    private void repackIfChanged(BatchingOptions options) {
        if (packedWith != options) {
            repack(options);
        }
    }

    /** Counts the batches the queued pieces fill, packing them greedily as {@link #poll} will. */
    private void repack(BatchingOptions options) {
        packedWith = options;
        int limit = options.executionBatchLimit();
        batches = 0;
        openBatchRows = 0;
        for (TaskPiece piece : pieces) {
            if (batches == 0 || openBatchRows + piece.rows() > limit) {
                batches++;
                openBatchRows = piece.rows();
            } else {
                openBatchRows += piece.rows();
            }
        }
    }
}
