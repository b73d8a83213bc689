package dev.servedeck.core.batching;

import dev.servedeck.core.status.ServingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.tensorflow.proto.TensorProto;

/**
 * A request inside the scheduler: its pieces (one, or several with large batch splitting) run in batches, and
 * it completes when the last piece has its rows back, with the pieces' outputs put back together in order.
 *
 * <p>A request never completes while one of its pieces is running. The caller keeps the model version loaded
 * until the request completes, and a batch runs on the version its requests hold: were a split request to fail
 * (another piece's batch failed, or its deadline passed) and be answered while a piece still ran, the version
 * could be unloaded under that batch. So a failure is held back until the running pieces have finished, which
 * delays the answer by at most one batch run.
 */
final class QueuedRequest {

    final BatchRequest request;
    final long enqueuedAt;
    final long deadline;
    final CompletableFuture<Map<String, TensorProto>> result = new CompletableFuture<>();
    private final List<Map<String, TensorProto>> pieceOutputs = new ArrayList<>();
    private int missingPieces;
    /** Pieces taken into a batch whose run has not finished. */
    private int runningPieces;
    /** The first failure; the request completes with it once no piece runs. */
    private Throwable failure;

    QueuedRequest(BatchRequest request, long enqueuedAt, long deadline) {
        this.request = request;
        this.enqueuedAt = enqueuedAt;
        this.deadline = deadline;
    }

    int rows() {
        return request.inputs().rows();
    }

    /** Cuts the request into pieces of these sizes, in row order. */
    List<TaskPiece> cut(List<Integer> sizes) {
        List<TaskPiece> pieces = new ArrayList<>(sizes.size());
        int from = 0;
        synchronized (this) {
            for (int size : sizes) {
                pieces.add(new TaskPiece(this, pieces.size(), from, from + size));
                pieceOutputs.add(null);
                from += size;
            }
            missingPieces = pieces.size();
        }
        return pieces;
    }

    /** True once the request failed or completed: its queued pieces need not run. */
    synchronized boolean done() {
        return failure != null || result.isDone();
    }

    /**
     * Marks a piece as taken into a batch, unless the request has failed meanwhile (then the piece must not
     * run: its version may already be released).
     */
    synchronized boolean tryStart() {
        if (failure != null || result.isDone()) {
            return false;
        }
        runningPieces++;
        return true;
    }

    /** Fails the request: at once, or when its running pieces have finished. Later failures are ignored. */
    void fail(Throwable error) {
        synchronized (this) {
            if (failure != null || result.isDone()) {
                return;
            }
            failure = error;
            if (runningPieces > 0) {
                return;
            }
        }
        result.completeExceptionally(error);
    }

    /** A running piece's batch ran: its own rows of each output. */
    void pieceDone(int index, Map<String, TensorProto> outputs) {
        Throwable heldBack;
        synchronized (this) {
            runningPieces--;
            if (failure == null) {
                pieceOutputs.set(index, outputs);
                if (--missingPieces > 0) {
                    return;
                }
                heldBack = null;
            } else if (runningPieces > 0) {
                return;
            } else {
                heldBack = failure;
            }
        }
        if (heldBack != null) {
            result.completeExceptionally(heldBack);
            return;
        }
        Map<String, TensorProto> whole;
        try {
            whole = reassemble();
        } catch (RuntimeException | Error e) {
            // Even out of memory while putting the pieces together: the request must hear back.
            result.completeExceptionally(e);
            return;
        }
        result.complete(whole);
    }

    /** A running piece's batch failed. */
    void pieceFailed(Throwable error) {
        Throwable first;
        synchronized (this) {
            runningPieces--;
            if (failure == null) {
                failure = error;
            }
            if (runningPieces > 0) {
                return;
            }
            first = failure;
        }
        result.completeExceptionally(first);
    }

    private Map<String, TensorProto> reassemble() {
        if (pieceOutputs.size() == 1) {
            return pieceOutputs.get(0);
        }
        Map<String, TensorProto> whole = new LinkedHashMap<>();
        for (String alias : pieceOutputs.get(0).keySet()) {
            List<TensorProto> parts = new ArrayList<>(pieceOutputs.size());
            for (Map<String, TensorProto> piece : pieceOutputs) {
                TensorProto part = piece.get(alias);
                if (part == null) {
                    throw ServingException.internal("Batch output '" + alias + "' is missing from a piece", null);
                }
                parts.add(part);
            }
            whole.put(alias, TensorProtoBatches.concat(parts));
        }
        return whole;
    }
}
