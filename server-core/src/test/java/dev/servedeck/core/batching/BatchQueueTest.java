package dev.servedeck.core.batching;

import static dev.servedeck.core.batching.Tensors.dims;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.servable.ServableId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Batch formation on its own, single-threaded: when a batch is ready, what it holds, how options changes apply. */
class BatchQueueTest {

    private final BatchingStatsRecorder stats = new BatchingStatsRecorder();

    @Test
    void partialBatchIsReadyAfterTheTimeoutFullOneAtOnce() {
        BatchingOptions options = BatchingOptions.defaults().withMaxBatchSize(4).withBatchTimeoutMicros(500)
                .withAdaptiveBatchTimeout(false);
        BatchQueue queue = new BatchQueue(null, null);

        assertThat(queue.offer(queued(2, 1_000), options)).isTrue();
        assertThat(queue.readyAt(options, false)).isEqualTo(1_000 + 500_000);
        assertThat(queue.offer(queued(1, 2_000), options)).isFalse();
        assertThat(queue.readyAt(options, false)).isEqualTo(1_000 + 500_000);
        assertThat(queue.offer(queued(1, 3_000), options)).isTrue();
        assertThat(queue.readyAt(options, false)).isEqualTo(Long.MIN_VALUE);

        List<TaskPiece> batch = queue.poll(4_000, options, stats);
        assertThat(batch).extracting(TaskPiece::rows).containsExactly(2, 1, 1);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void adaptiveTimeoutMakesAPartialBatchReadyAtOnceWhenNoOtherRequestCanJoinIt() {
        BatchingOptions options = BatchingOptions.defaults().withMaxBatchSize(4).withBatchTimeoutMicros(500);
        BatchQueue queue = new BatchQueue(null, null);

        queue.offer(queued(1, 1_000), options);
        assertThat(queue.readyAt(options, false)).as("nothing on its way, nothing running").isEqualTo(Long.MIN_VALUE);
        assertThat(queue.readyAt(options, true)).as("a request on its way: TF Serving's timeout")
                .isEqualTo(1_000 + 500_000);

        queue.poll(2_000, options, stats);
        queue.batchStarted();
        queue.offer(queued(1, 3_000), options);
        assertThat(queue.readyAt(options, false)).as("an earlier batch still runs").isEqualTo(3_000 + 500_000);
        queue.offer(queued(3, 4_000), options);
        assertThat(queue.readyAt(options, true)).as("a full batch runs at once").isEqualTo(Long.MIN_VALUE);
        queue.poll(5_000, options, stats);
        queue.batchStarted();
        assertThat(queue.readyAt(options, false)).as("empty").isEqualTo(Long.MAX_VALUE);

        queue.offer(queued(1, 6_000), options);
        queue.batchFinished();
        assertThat(queue.readyAt(options, false)).as("one batch still runs").isEqualTo(6_000 + 500_000);
        queue.batchFinished();
        assertThat(queue.readyAt(options, false)).as("none runs").isEqualTo(Long.MIN_VALUE);
        assertThat(queue.readyAt(options.withAdaptiveBatchTimeout(false), false)).as("switched off")
                .isEqualTo(6_000 + 500_000);
    }

    @Test
    void aRequestThatDoesNotFitClosesTheBatchBeforeIt() {
        BatchingOptions options = BatchingOptions.defaults().withMaxBatchSize(4).withBatchTimeoutMicros(500)
                .withAdaptiveBatchTimeout(false).withMaxEnqueuedBatches(2);
        BatchQueue queue = new BatchQueue(null, null);
        queue.offer(queued(3, 0), options);
        queue.offer(queued(2, 0), options);

        assertThat(queue.readyAt(options, false)).isEqualTo(Long.MIN_VALUE);
        assertThat(queue.poll(0, options, stats)).extracting(TaskPiece::rows).containsExactly(3);
        assertThat(queue.readyAt(options, false)).isEqualTo(500_000);
        assertThat(queue.poll(0, options, stats)).extracting(TaskPiece::rows).containsExactly(2);
    }

    @Test
    void newOptionsRepackWhatIsQueued() {
        BatchingOptions small = BatchingOptions.defaults().withMaxBatchSize(2).withMaxEnqueuedBatches(3);
        BatchQueue queue = new BatchQueue(null, null);
        for (int i = 0; i < 6; i++) {
            queue.offer(queued(1, i), small);
        }
        BatchingOptions large = small.withMaxBatchSize(8);

        assertThat(queue.poll(10, large, stats)).hasSize(6);
        assertThat(queue.queuedRows()).isZero();
    }

    @Test
    void splittingFillsTheOpenBatchFirst() {
        BatchingOptions options = BatchingOptions.defaults().withMaxBatchSize(10).withLargeBatchSplitting(4);
        BatchQueue queue = new BatchQueue(null, null);
        queue.offer(queued(3, 0), options);
        queue.offer(queued(7, 0), options);

        assertThat(queue.poll(0, options, stats)).extracting(TaskPiece::rows).containsExactly(3, 1);
        assertThat(queue.poll(0, options, stats)).extracting(TaskPiece::rows).containsExactly(4);
        assertThat(queue.poll(0, options, stats)).extracting(TaskPiece::rows).containsExactly(2);
    }

    private static QueuedRequest queued(int rows, long enqueuedAt) {
        float[] values = new float[rows];
        BatchableInputs inputs = BatchableInputs.inspect(Signatures.floats(1),
                Map.of("x", Tensors.floats(dims(rows, 1), values)), Set.of()).orElseThrow();
        BatchRequest request = new BatchRequest(new ServableId("m", 1), new Object(), "s", inputs, in -> in,
                Duration.ZERO, Optional.empty());
        return new QueuedRequest(request, enqueuedAt, Long.MAX_VALUE);
    }
}
