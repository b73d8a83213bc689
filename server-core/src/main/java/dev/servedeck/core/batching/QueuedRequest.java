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
 */
final class QueuedRequest {

    final BatchRequest request;
    final long enqueuedAt;
    final long deadline;
    final CompletableFuture<Map<String, TensorProto>> result = new CompletableFuture<>();
    private final List<Map<String, TensorProto>> pieceOutputs = new ArrayList<>();
    private int missingPieces;

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

    boolean done() {
        return result.isDone();
    }

    void fail(Throwable error) {
        result.completeExceptionally(error);
    }

    void pieceDone(int index, Map<String, TensorProto> outputs) {
        Map<String, TensorProto> whole;
        synchronized (this) {
            pieceOutputs.set(index, outputs);
            if (--missingPieces > 0) {
                return;
            }
        }
        try {
            whole = reassemble();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        result.complete(whole);
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
