package dev.servedeck.core.batching;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.BatchingParameters;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * How requests are batched: TF Serving's {@code BatchingParameters} as a validated, immutable value. It can
 * be swapped while the server runs ({@link BatchScheduler#updateOptions}); an instance that exists is valid.
 *
 * @param maxBatchSize the most rows one request may bring; without large batch splitting also the largest
 *     batch formed. A batch runs as soon as it is full.
 * @param batchTimeoutMicros how long the oldest request of a queue waits for company before its batch runs
 * @param maxEnqueuedBatches how many batches a queue holds; a request that needs more is refused at once
 *     with RESOURCE_EXHAUSTED
 * @param numBatchThreads threads that run batches, shared by every model
 * @param threadPoolName names the batch threads ({@code <name>-1}, ...)
 * @param allowedBatchSizes if not empty, the sizes a batch is padded up to (increasing; the last equals
 *     {@link #executionBatchLimit()})
 * @param padVariableLengthInputs pad every dimension but the first to the largest in the batch, so requests
 *     whose inner dimensions differ can share a batch
 * @param enableLargeBatchSplitting split a request over several batches of at most
 *     {@code maxExecutionBatchSize} rows and reassemble its answer
 * @param maxExecutionBatchSize with splitting, the largest batch that runs (at most {@code maxBatchSize});
 *     ignored without splitting
 * @param adaptiveBatchTimeout ServeDeck's own, on by default: a partial batch runs before batch_timeout_micros
 *     when no other request can join it soon (see {@link BatchQueue#readyAt}); off, TF Serving's behaviour
 */
public record BatchingOptions(
        int maxBatchSize,
        long batchTimeoutMicros,
        long maxEnqueuedBatches,
        int numBatchThreads,
        String threadPoolName,
        List<Integer> allowedBatchSizes,
        boolean padVariableLengthInputs,
        boolean enableLargeBatchSplitting,
        int maxExecutionBatchSize,
        boolean adaptiveBatchTimeout) {

    /** TF Serving's defaults for absent fields (SharedBatchScheduler's queue options). */
    public static final int DEFAULT_MAX_BATCH_SIZE = 1000;
    public static final long DEFAULT_MAX_ENQUEUED_BATCHES = 10;
    public static final String DEFAULT_THREAD_POOL_NAME = "servedeck-batch";
    /** Threads are real OS threads: a typo such as 100000 must not take the machine down. */
    public static final int MAX_BATCH_THREADS = 1024;

    public BatchingOptions {
        Objects.requireNonNull(threadPoolName, "threadPoolName");
        Objects.requireNonNull(allowedBatchSizes, "allowedBatchSizes");
        allowedBatchSizes = List.copyOf(allowedBatchSizes);
        require(maxBatchSize >= 1, "max_batch_size must be at least 1, was " + maxBatchSize);
        require(batchTimeoutMicros >= 0, "batch_timeout_micros must not be negative, was " + batchTimeoutMicros);
        require(maxEnqueuedBatches >= 1, "max_enqueued_batches must be at least 1, was " + maxEnqueuedBatches);
        require(numBatchThreads >= 1 && numBatchThreads <= MAX_BATCH_THREADS,
                "num_batch_threads must be 1.." + MAX_BATCH_THREADS + ", was " + numBatchThreads);
        require(!threadPoolName.isBlank(), "thread_pool_name must not be blank");
        if (enableLargeBatchSplitting) {
            require(maxExecutionBatchSize >= 1 && maxExecutionBatchSize <= maxBatchSize,
                    "max_execution_batch_size must be 1..max_batch_size (" + maxBatchSize + "), was "
                            + maxExecutionBatchSize);
        } else {
            // Without splitting the execution limit is max_batch_size; keep one spelling of it.
            maxExecutionBatchSize = maxBatchSize;
        }
        int previous = 0;
        for (int size : allowedBatchSizes) {
            require(size > previous, "allowed_batch_sizes must be positive and increasing, was " + allowedBatchSizes);
            previous = size;
        }
        int limit = enableLargeBatchSplitting ? maxExecutionBatchSize : maxBatchSize;
        require(allowedBatchSizes.isEmpty() || previous == limit,
                "the last entry of allowed_batch_sizes must equal " + (enableLargeBatchSplitting
                        ? "max_execution_batch_size (" : "max_batch_size (") + limit + "), was " + allowedBatchSizes);
    }

    /**
     * TF Serving's defaults (batches of up to 1000, no timeout, 10 batches per queue, one thread per core) and
     * ServeDeck's (an adaptive timeout).
     */
    public static BatchingOptions defaults() {
        return fromProto(BatchingParameters.getDefaultInstance());
    }

    /**
     * The options a {@code BatchingParameters} message asks for; absent fields take TF Serving's defaults, and the
     * ServeDeck fields it cannot hold take theirs.
     *
     * @throws ServingException INVALID_ARGUMENT naming the first invalid field
     */
    public static BatchingOptions fromProto(BatchingParameters proto) {
        try {
            int maxBatchSize = toInt("max_batch_size",
                    proto.hasMaxBatchSize() ? proto.getMaxBatchSize().getValue() : DEFAULT_MAX_BATCH_SIZE);
            int threads = toInt("num_batch_threads", proto.hasNumBatchThreads()
                    ? proto.getNumBatchThreads().getValue() : Runtime.getRuntime().availableProcessors());
            List<Integer> allowed = proto.getAllowedBatchSizesList().stream()
                    .map(size -> toInt("allowed_batch_sizes", size)).toList();
            return new BatchingOptions(
                    maxBatchSize,
                    proto.hasBatchTimeoutMicros() ? proto.getBatchTimeoutMicros().getValue() : 0,
                    proto.hasMaxEnqueuedBatches() ? proto.getMaxEnqueuedBatches().getValue() : DEFAULT_MAX_ENQUEUED_BATCHES,
                    threads,
                    proto.hasThreadPoolName() ? proto.getThreadPoolName().getValue() : DEFAULT_THREAD_POOL_NAME,
                    allowed,
                    proto.getPadVariableLengthInputs(),
                    proto.hasEnableLargeBatchSplitting() && proto.getEnableLargeBatchSplitting().getValue(),
                    proto.hasMaxExecutionBatchSize()
                            ? toInt("max_execution_batch_size", proto.getMaxExecutionBatchSize().getValue())
                            : maxBatchSize,
                    true);
        } catch (IllegalArgumentException e) {
            throw ServingException.invalidArgument("Invalid batching parameters: " + e.getMessage());
        }
    }

    /** Every TF Serving field written out, so a saved file says exactly what ran (ServeDeck's fields aside). */
    public BatchingParameters toProto() {
        BatchingParameters.Builder proto = BatchingParameters.newBuilder()
                .setMaxBatchSize(Int64Value.of(maxBatchSize))
                .setBatchTimeoutMicros(Int64Value.of(batchTimeoutMicros))
                .setMaxEnqueuedBatches(Int64Value.of(maxEnqueuedBatches))
                .setNumBatchThreads(Int64Value.of(numBatchThreads))
                .setThreadPoolName(StringValue.of(threadPoolName))
                .setPadVariableLengthInputs(padVariableLengthInputs)
                .setEnableLargeBatchSplitting(BoolValue.of(enableLargeBatchSplitting));
        if (enableLargeBatchSplitting) {
            proto.setMaxExecutionBatchSize(Int64Value.of(maxExecutionBatchSize));
        }
        allowedBatchSizes.forEach(size -> proto.addAllowedBatchSizes(size));
        return proto.build();
    }

    /** The largest batch that runs: max_execution_batch_size with splitting, else max_batch_size. */
    public int executionBatchLimit() {
        return enableLargeBatchSplitting ? maxExecutionBatchSize : maxBatchSize;
    }

    public Duration batchTimeout() {
        return Duration.of(batchTimeoutMicros, ChronoUnit.MICROS);
    }

    /** The timeout in ticker nanoseconds, saturated rather than overflowing for absurd values. */
    long batchTimeoutNanos() {
        return batchTimeoutMicros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : batchTimeoutMicros * 1000;
    }

    /** The size a batch of {@code rows} is padded up to: the smallest allowed size that holds it, else {@code rows}. */
    public int paddedSize(int rows) {
        for (int size : allowedBatchSizes) {
            if (size >= rows) {
                return size;
            }
        }
        return rows;
    }

    public BatchingOptions withMaxBatchSize(int size) {
        return new BatchingOptions(size, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads, threadPoolName,
                allowedBatchSizes, padVariableLengthInputs, enableLargeBatchSplitting,
                maxExecutionBatchSize, adaptiveBatchTimeout);
    }

    public BatchingOptions withBatchTimeoutMicros(long micros) {
        return new BatchingOptions(maxBatchSize, micros, maxEnqueuedBatches, numBatchThreads, threadPoolName,
                allowedBatchSizes, padVariableLengthInputs, enableLargeBatchSplitting,
                maxExecutionBatchSize, adaptiveBatchTimeout);
    }

    public BatchingOptions withMaxEnqueuedBatches(long batches) {
        return new BatchingOptions(maxBatchSize, batchTimeoutMicros, batches, numBatchThreads, threadPoolName,
                allowedBatchSizes, padVariableLengthInputs, enableLargeBatchSplitting,
                maxExecutionBatchSize, adaptiveBatchTimeout);
    }

    public BatchingOptions withNumBatchThreads(int threads) {
        return new BatchingOptions(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, threads, threadPoolName,
                allowedBatchSizes, padVariableLengthInputs, enableLargeBatchSplitting,
                maxExecutionBatchSize, adaptiveBatchTimeout);
    }

    public BatchingOptions withAllowedBatchSizes(List<Integer> sizes) {
        return new BatchingOptions(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads, threadPoolName,
                sizes, padVariableLengthInputs, enableLargeBatchSplitting,
                maxExecutionBatchSize, adaptiveBatchTimeout);
    }

    public BatchingOptions withPadVariableLengthInputs(boolean pad) {
        return new BatchingOptions(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads, threadPoolName,
                allowedBatchSizes, pad, enableLargeBatchSplitting,
                maxExecutionBatchSize, adaptiveBatchTimeout);
    }

    public BatchingOptions withLargeBatchSplitting(int maxExecutionSize) {
        return new BatchingOptions(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads, threadPoolName,
                allowedBatchSizes, padVariableLengthInputs, true,
                maxExecutionSize, adaptiveBatchTimeout);
    }

    public BatchingOptions withAdaptiveBatchTimeout(boolean adaptive) {
        return new BatchingOptions(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads, threadPoolName,
                allowedBatchSizes, padVariableLengthInputs, enableLargeBatchSplitting,
                maxExecutionBatchSize, adaptive);
    }

    private static int toInt(String field, long value) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " is out of range: " + value);
        }
        return (int) value;
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new IllegalArgumentException(reason);
        }
    }
}
