package dev.servedeck.core.batching;

import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Shapes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.TensorProto;

/**
 * Runs one formed batch: merges the pieces' inputs along dimension 0 (padding inner dimensions and the row
 * count as the options ask), runs the model once, and hands every piece exactly its own rows of each output.
 * A failure of the run fails every request in the batch with the same error; an unexpected one (a bug, or an
 * {@link Error}) with INTERNAL.
 */
final class BatchExecution {

    private static final Logger LOG = LoggerFactory.getLogger(BatchExecution.class);

    private BatchExecution() {
    }

    /**
     * @param formedAt the ticker reading when the batch was taken from its queue
     * @param threadPoolName the pool running it, for the queuing latency
     * @param modelFinished called once, as soon as the model has run (or the batch failed), before any request
     *     hears back: an answered client may send its next request at once, and the scheduler must by then count
     *     this batch as finished, or that request would wait behind it
     */
    static void run(List<TaskPiece> pieces, BatchingOptions options, long formedAt, String threadPoolName,
            BatchObserver observer, Runnable modelFinished) {
        if (pieces.isEmpty()) {
            modelFinished.run();
            return;
        }
        // Every piece must hear back exactly once, or its request never completes and keeps its version loaded.
        int answered = 0;
        int rows = pieces.stream().mapToInt(TaskPiece::rows).sum();
        boolean finished = false;
        try {
            ServableId servable = pieces.get(0).request().request.servable();
            // Recorded here rather than where the batch is formed, to keep the observers out of the scheduler's
            // lock.
            for (TaskPiece piece : pieces) {
                observer.dequeued(threadPoolName, servable, formedAt - piece.request().enqueuedAt);
            }
            int paddedRows = options.paddedSize(rows);
            Map<String, TensorProto> merged = merge(pieces, paddedRows);
            // Any request's runner will do: all run the same loaded version, which every request of the batch
            // keeps loaded until its pieces have finished (QueuedRequest).
            Map<String, TensorProto> outputs;
            try {
                outputs = pieces.get(0).request().request.runner().apply(merged);
            } finally {
                finished = true;
                modelFinished.run();
            }
            checkRows(outputs, paddedRows);
            observer.batchRan(servable, rows, paddedRows, pieces.size());
            int offset = 0;
            for (TaskPiece piece : pieces) {
                Map<String, TensorProto> own = new LinkedHashMap<>();
                for (var output : outputs.entrySet()) {
                    own.put(output.getKey(),
                            TensorProtoBatches.slice(output.getValue(), offset, offset + piece.rows()));
                }
                offset += piece.rows();
                answered++;
                piece.request().pieceDone(piece.index(), own);
            }
        } catch (ServingException e) {
            fail(pieces.subList(answered, pieces.size()), e);
        } catch (RuntimeException | Error e) {
            // Even an Error (out of memory, a stack overflow, an assertion in the model): every request of the
            // batch hears back, which releases its version, and this batch thread lives on for the next batch.
            LOG.error("A batch of {} rows failed unexpectedly", rows, e);
            fail(pieces.subList(answered, pieces.size()), ServingException.unexpected("Batch", e));
        } finally {
            if (!finished) {
                // It failed before the model ran.
                modelFinished.run();
            }
        }
    }

    private static Map<String, TensorProto> merge(List<TaskPiece> pieces, int paddedRows) {
        Map<String, TensorProto> merged = new LinkedHashMap<>();
        for (String alias : pieces.get(0).request().request.inputs().inputs().keySet()) {
            List<TensorProto> parts = new ArrayList<>(pieces.size());
            for (TaskPiece piece : pieces) {
                TensorProto whole = piece.request().request.inputs().inputs().get(alias);
                parts.add(TensorProtoBatches.slice(whole, piece.fromRow(), piece.toRow()));
            }
            TensorProto batch = TensorProtoBatches.concat(padToLargest(parts));
            merged.put(alias, TensorProtoBatches.padRows(batch, paddedRows));
        }
        return merged;
    }

    /** Parts only differ in inner dimensions when they were queued with pad_variable_length_inputs. */
    private static List<TensorProto> padToLargest(List<TensorProto> parts) {
        long[] largest = Shapes.dims(parts.get(0));
        boolean differ = false;
        for (TensorProto part : parts) {
            long[] dims = Shapes.dims(part);
            for (int d = 1; d < dims.length; d++) {
                differ |= dims[d] != largest[d];
                largest[d] = Math.max(largest[d], dims[d]);
            }
        }
        if (!differ) {
            return parts;
        }
        List<TensorProto> padded = new ArrayList<>(parts.size());
        for (TensorProto part : parts) {
            padded.add(TensorProtoBatches.padInnerDims(part, largest));
        }
        return padded;
    }

    private static void checkRows(Map<String, TensorProto> outputs, int paddedRows) {
        for (var output : outputs.entrySet()) {
            TensorProto tensor = output.getValue();
            if (tensor.getTensorShape().getDimCount() == 0 || tensor.getTensorShape().getDim(0).getSize() != paddedRows) {
                throw ServingException.internal("Batched output '" + output.getKey() + "' does not have the batch's "
                        + paddedRows + " rows in dimension 0, so it cannot be split among the requests: "
                        + Shapes.toString(tensor.getTensorShape()),
                        null);
            }
        }
    }

    private static void fail(List<TaskPiece> pieces, ServingException error) {
        for (TaskPiece piece : pieces) {
            piece.request().pieceFailed(error);
        }
    }
}
