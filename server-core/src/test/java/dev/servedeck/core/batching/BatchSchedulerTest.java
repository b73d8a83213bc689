package dev.servedeck.core.batching;

import static dev.servedeck.core.batching.Tensors.dims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Shapes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/** The scheduler with a fake ticker: timeouts fire when the test moves time, never by sleeping. */
class BatchSchedulerTest {

    private static final ServableId MODEL = new ServableId("model", 1);
    /** The loaded instance of {@link #MODEL} most tests' requests run on. */
    private static final Object LOADED = new Object();
    private static final Duration HOUR = Duration.ofHours(1);

    private final FakeTicker ticker = new FakeTicker();
    /** Every merged input the model was run with, in order. */
    private final List<TensorProto> batchesRun = new CopyOnWriteArrayList<>();
    private final ExecutorService caller = Executors.newSingleThreadExecutor();
    private BatchScheduler scheduler;

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close(Duration.ofSeconds(5));
        }
        caller.shutdownNow();
    }

    @Test
    void fullBatchRunsAtOnce() throws Exception {
        scheduler = start(options(4, HOUR));

        List<CompletableFuture<Map<String, TensorProto>>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), i))));
        }

        for (int i = 0; i < 4; i++) {
            assertThat(Tensors.floatValues(get(answers.get(i)).get("y"))).containsExactly(2f * i);
        }
        assertThat(batchesRun).hasSize(1);
        assertThat(Tensors.floatValues(batchesRun.get(0))).containsExactly(0, 1, 2, 3);
        assertThat(scheduler.stats().batchSizes()).containsEntry(4, 1L);
    }

    @Test
    void partialBatchRunsOnlyOnceTheOldestRequestWaitedTheTimeout() throws Exception {
        scheduler = start(options(8, Duration.ofMillis(1)));

        var first = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1)));
        ticker.advance(Duration.ofMillis(1).minusNanos(1));
        var second = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(2, 1), 2, 3)));
        scheduler.tickerMoved();
        assertThat(first).isNotDone();

        ticker.advance(Duration.ofNanos(1));
        scheduler.tickerMoved();

        assertThat(Tensors.floatValues(get(first).get("y"))).containsExactly(2);
        assertThat(Tensors.floatValues(get(second).get("y"))).containsExactly(4, 6);
        assertThat(batchesRun).hasSize(1);
        BatchingStats stats = scheduler.stats();
        assertThat(stats.batches()).isEqualTo(1);
        assertThat(stats.rows()).isEqualTo(3);
        assertThat(stats.maxQueueingLatency()).isEqualTo(Duration.ofMillis(1));
        assertThat(stats.queuedTasks()).isZero();
    }

    @Test
    void adaptiveTimeoutRunsALoneRequestAtOnceOnTheCallersThread() throws Exception {
        scheduler = start(adaptive(8, HOUR));
        List<Thread> ranOn = new CopyOnWriteArrayList<>();

        var lone = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1), inputs -> {
            ranOn.add(Thread.currentThread());
            return recordAndDouble(inputs);
        }));

        // No ticker advance: nothing else could join it, so it does not wait the hour, nor for a batch thread.
        assertThat(lone).isDone();
        assertThat(Tensors.floatValues(get(lone).get("y"))).containsExactly(2);
        assertThat(ranOn).containsExactly(Thread.currentThread());
        assertThat(scheduler.stats().maxQueueingLatency()).isZero();
    }

    @Test
    void aLoneRequestWaitsForABatchThreadWhenEveryPlaceIsTaken() throws Exception {
        // One place for a batch, taken by another model's batch: the caller must not run a second one beside it.
        scheduler = start(adaptive(8, HOUR).withNumBatchThreads(1));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        var busy = scheduleFromAnotherThread(request(new ServableId("other", 1), Signatures.floats(1),
                Tensors.floats(dims(1, 1), 1), blockingUntil(running, release)));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

        var lone = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 2)));
        scheduler.tickerMoved();
        assertThat(lone).isNotDone();
        release.countDown();

        assertThat(Tensors.floatValues(get(busy).get("y"))).containsExactly(2);
        assertThat(Tensors.floatValues(get(lone).get("y"))).containsExactly(4);
    }

    @Test
    void withTheAdaptiveTimeoutOffALoneRequestWaitsTheWholeTimeoutAsInTfServing() throws Exception {
        scheduler = start(options(8, Duration.ofMillis(2)));

        var lone = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1)));
        ticker.advance(Duration.ofMillis(2).minusNanos(1));
        scheduler.tickerMoved();
        assertThat(lone).isNotDone();
        ticker.advance(Duration.ofNanos(1));
        scheduler.tickerMoved();

        assertThat(Tensors.floatValues(get(lone).get("y"))).containsExactly(2);
        assertThat(scheduler.stats().maxQueueingLatency()).isEqualTo(Duration.ofMillis(2));
    }

    @Test
    void switchingTheAdaptiveTimeoutOnLiveRunsWhatWaits() throws Exception {
        scheduler = start(options(8, HOUR));
        var waiting = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1)));
        scheduler.tickerMoved();
        assertThat(waiting).isNotDone();

        scheduler.updateOptions(scheduler.options().withAdaptiveBatchTimeout(true));

        assertThat(Tensors.floatValues(get(waiting).get("y"))).containsExactly(2);
    }

    @Test
    void aBurstOnItsWayBatchesFull() throws Exception {
        scheduler = start(adaptive(4, HOUR));
        List<ArrivingRequest> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            burst.add(scheduler.arriving(MODEL.name()));
        }

        List<CompletableFuture<Map<String, TensorProto>>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), i)), burst.get(i)));
            if (i < 3) {
                scheduler.tickerMoved();
                assertThat(answers.get(0)).as("held while %d more are on their way", 5 - i).isNotDone();
            }
        }

        for (int i = 0; i < 6; i++) {
            assertThat(Tensors.floatValues(get(answers.get(i)).get("y"))).containsExactly(2f * i);
        }
        // The first four fill a batch, which runs at once; the last two run as soon as nothing else can join them
        // (that batch has finished), each time without the hour's timeout.
        assertThat(batchesRun).extracting(TensorProtoBatches::rows).containsExactly(4, 2);
    }

    @Test
    void requestsOnTheirWayHoldAPartialBatchUpToTheTimeoutOnly() throws Exception {
        scheduler = start(adaptive(8, Duration.ofMillis(1)));
        ArrivingRequest slow = scheduler.arriving(MODEL.name());

        var first = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1)));
        ticker.advance(Duration.ofMillis(1).minusNanos(1));
        scheduler.tickerMoved();
        assertThat(first).isNotDone();
        ticker.advance(Duration.ofNanos(1));
        scheduler.tickerMoved();

        assertThat(Tensors.floatValues(get(first).get("y"))).containsExactly(2);
        slow.close();
    }

    @Test
    void anAnnouncedRequestThatIsNotQueuedAfterAllReleasesThePartialBatch() throws Exception {
        scheduler = start(adaptive(8, HOUR));
        ArrivingRequest unbatchable = scheduler.arriving(MODEL.name());
        ArrivingRequest failing = scheduler.arriving(MODEL.name());

        var first = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1)));
        unbatchable.close();
        scheduler.tickerMoved();
        assertThat(first).as("one is still on its way").isNotDone();
        assertThatThrownBy(() -> scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(9, 1),
                1, 2, 3, 4, 5, 6, 7, 8, 9)), failing)).isInstanceOf(ServingException.class);

        assertThat(Tensors.floatValues(get(first).get("y"))).containsExactly(2);
        // Refused, it stopped being expected; closing it again, as a finally block does, changes nothing.
        failing.close();
    }

    @Test
    void requestsThatComeWhileTheQueuesBatchRunsGatherIntoTheNextBatch() throws Exception {
        // Two threads: the second is idle, yet does not take the newcomers one by one while the first batch runs.
        scheduler = start(adaptive(8, HOUR));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        var first = scheduleFromAnotherThread(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1),
                blockingUntil(running, release)));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Map<String, TensorProto>>> newcomers = new ArrayList<>();
        for (int i = 2; i <= 4; i++) {
            newcomers.add(scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), i))));
        }
        scheduler.tickerMoved();
        assertThat(newcomers).allSatisfy(answer -> assertThat(answer).isNotDone());
        assertThat(scheduler.stats().queuedTasks()).isEqualTo(3);

        release.countDown();

        assertThat(Tensors.floatValues(get(first).get("y"))).containsExactly(2);
        for (int i = 0; i < 3; i++) {
            assertThat(Tensors.floatValues(get(newcomers.get(i)).get("y"))).containsExactly(2f * (i + 2));
        }
        assertThat(batchesRun).extracting(TensorProtoBatches::rows).containsExactly(1, 3);
    }

    @Test
    void eachQueueDecidesForItself() throws Exception {
        // A running batch and requests on their way hold only their own model's partial batches.
        scheduler = start(adaptive(8, HOUR));
        ServableId other = new ServableId("other", 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        var busy = scheduleFromAnotherThread(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1),
                blockingUntil(running, release)));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        ArrivingRequest onItsWay = scheduler.arriving(MODEL.name());

        var held = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 2)));
        var otherModel = scheduler.schedule(request(other, "serving_default", Signatures.floats(1),
                Tensors.floats(dims(1, 1), 3), Set.of()));

        assertThat(Tensors.floatValues(get(otherModel).get("y"))).containsExactly(6);
        assertThat(held).isNotDone();
        onItsWay.close();
        scheduler.tickerMoved();
        assertThat(held).as("the model's batch still runs").isNotDone();
        release.countDown();
        assertThat(Tensors.floatValues(get(busy).get("y"))).containsExactly(2);
        assertThat(Tensors.floatValues(get(held).get("y"))).containsExactly(4);
    }

    @Test
    void batchIsPaddedToTheNextAllowedSizeByRepeatingTheFirstRowAndThePaddingIsSlicedOff() throws Exception {
        scheduler = start(options(4, HOUR).withAllowedBatchSizes(List.of(2, 4)));

        List<CompletableFuture<Map<String, TensorProto>>> answers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            answers.add(scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), i))));
        }
        ticker.advance(HOUR);
        scheduler.tickerMoved();

        for (int i = 1; i <= 3; i++) {
            TensorProto y = get(answers.get(i - 1)).get("y");
            assertThat(Shapes.dims(y)).containsExactly(1, 1);
            assertThat(Tensors.floatValues(y)).containsExactly(2f * i);
        }
        assertThat(Tensors.floatValues(batchesRun.get(0))).containsExactly(1, 2, 3, 1);
        assertThat(scheduler.stats().paddingRows()).isEqualTo(1);
        assertThat(scheduler.stats().batchSizes()).containsEntry(3, 1L);
    }

    @Test
    void largeRequestIsSplitOverBatchesAndReassembled() throws Exception {
        scheduler = start(options(10, HOUR).withLargeBatchSplitting(4));
        float[] rows = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

        var answer = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(10, 1), rows)));
        // Two full batches of 4 run at once; the last 2 rows wait for company or the timeout.
        var company = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 100)));
        ticker.advance(HOUR);
        scheduler.tickerMoved();

        TensorProto y = get(answer).get("y");
        assertThat(Shapes.dims(y)).containsExactly(10, 1);
        assertThat(Tensors.floatValues(y)).containsExactly(0, 2, 4, 6, 8, 10, 12, 14, 16, 18);
        assertThat(Tensors.floatValues(get(company).get("y"))).containsExactly(200);
        // Batch threads run in parallel, so the batches may finish in any order.
        assertThat(batchesRun).extracting(TensorProtoBatches::rows).containsExactlyInAnyOrder(4, 4, 3);
    }

    @Test
    void splitRequestIsAnsweredOnlyWhenNoneOfItsPiecesRunsAnyMore() throws Exception {
        // The caller keeps the version loaded until the answer: a piece still running must not lose it.
        scheduler = start(options(4, HOUR).withLargeBatchSplitting(2));
        CountDownLatch lastPieceRunning = new CountDownLatch(1);
        CountDownLatch releaseLastPiece = new CountDownLatch(1);
        Function<Map<String, TensorProto>, Map<String, TensorProto>> runner = inputs -> {
            float first = Tensors.floatValues(inputs.get("x"))[0];
            if (first == 0) {
                // Fails only once the other piece runs on the second thread (else that piece would be dropped).
                await(lastPieceRunning);
                throw ServingException.invalidArgument("the first piece fails");
            }
            if (first == 2) {
                lastPieceRunning.countDown();
                await(releaseLastPiece);
            }
            return doubled(inputs);
        };

        var split = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(4, 1), 0, 1, 2, 3), runner));
        await(lastPieceRunning);
        // Runs on the thread that ran the failing piece: once it is answered, that failure is in.
        var later = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(2, 1), 10, 11), runner));
        assertThat(Tensors.floatValues(get(later).get("y"))).containsExactly(20, 22);

        assertThat(split).isNotDone();
        releaseLastPiece.countDown();
        assertThatThrownBy(() -> get(split)).hasCauseInstanceOf(ServingException.class)
                .hasRootCauseMessage("the first piece fails");
    }

    @Test
    void versionLoadedAgainNeverSharesABatchWithRequestsQueuedForTheOldInstance() throws Exception {
        // After an unload that timed out draining, the same version number can be loaded again while requests
        // for the closed instance still wait; a batch runs on its first request's instance.
        scheduler = start(options(2, HOUR));
        Object closedInstance = new Object();
        Function<Map<String, TensorProto>, Map<String, TensorProto>> closed = inputs -> {
            throw new ServingException(Code.UNAVAILABLE, "this instance was unloaded");
        };

        var old = scheduler.schedule(request(closedInstance, Signatures.floats(1), Tensors.floats(dims(1, 1), 1),
                closed));
        var fresh = scheduler.schedule(request(LOADED, Signatures.floats(1), Tensors.floats(dims(1, 1), 2),
                this::recordAndDouble));
        assertThat(fresh).isNotDone();
        ticker.advance(HOUR);
        scheduler.tickerMoved();

        assertThat(Tensors.floatValues(get(fresh).get("y"))).containsExactly(4);
        assertThatThrownBy(() -> get(old)).hasRootCauseMessage("this instance was unloaded");
        assertThat(batchesRun).hasSize(1);
    }

    @Test
    void requestLargerThanMaxBatchSizeIsRefused() {
        scheduler = start(options(2, HOUR));

        assertThatThrownBy(() -> scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(3, 1), 1, 2, 3))))
                .isInstanceOf(ServingException.class)
                .hasMessage("Task size 3 is larger than maximum input batch size 2")
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
    }

    @Test
    void fullQueueRefusesAtOnceWithResourceExhausted() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scheduler = start(options(1, Duration.ZERO).withMaxEnqueuedBatches(1).withNumBatchThreads(1));
        Function<Map<String, TensorProto>, Map<String, TensorProto>> blocking = inputs -> {
            running.countDown();
            await(release);
            return doubled(inputs);
        };

        var first = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1), blocking));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        var second = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 2)));

        assertThatThrownBy(() -> scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 3))))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("The batch queue of model model version 1 signature \"serving_default\" is full")
                .hasMessageContaining("max_enqueued_batches is 1")
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
        release.countDown();
        assertThat(Tensors.floatValues(get(first).get("y"))).containsExactly(2);
        assertThat(Tensors.floatValues(get(second).get("y"))).containsExactly(4);
        assertThat(scheduler.stats().rejectedQueueFull()).isEqualTo(1);
    }

    @Test
    void theObserverSeesEveryRequestAndBatchWithTheQueuingTimeAndThePaddedSize() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        scheduler = new BatchScheduler(options(4, Duration.ofMillis(3)).withAllowedBatchSizes(List.of(2, 4)), ticker,
                new BatchObserver() {
                    @Override
                    public void requestArrived(ServableId servable, int rows) {
                        events.add("arrived " + servable.name() + " " + rows);
                    }

                    @Override
                    public void dequeued(String threadPoolName, ServableId servable, long queuedNanos) {
                        events.add("dequeued " + threadPoolName + " " + queuedNanos);
                    }

                    @Override
                    public void batchRan(ServableId servable, int rows, int paddedRows, int tasks) {
                        events.add("ran " + servable.name() + " " + rows + "/" + paddedRows + " in " + tasks);
                    }
                });

        var first = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(2, 1), 1, 2)));
        ticker.advance(Duration.ofMillis(1));
        var second = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 3)));
        ticker.advance(Duration.ofMillis(2));
        scheduler.tickerMoved();
        get(first);
        get(second);
        scheduler.recordPassThrough(MODEL);

        assertThat(events).containsExactly("arrived model 2", "arrived model 1", "dequeued servedeck-batch 3000000",
                "dequeued servedeck-batch 2000000", "ran model 3/4 in 2");
        assertThat(scheduler.stats().passedThrough()).as("the scheduler's own statistics still count").isEqualTo(1);
        assertThat(scheduler.stats().paddingRows()).isEqualTo(1);
    }

    @Test
    void aBatchThatBreaksAfterItsRunStillAnswersEveryRequest() throws Exception {
        // A bug past the model run (here in an observer) must fail the batch's requests, not leave them waiting
        // forever with their version held.
        AtomicBoolean broken = new AtomicBoolean(true);
        scheduler = new BatchScheduler(options(2, HOUR), ticker, new BatchObserver() {
            @Override
            public void batchRan(ServableId servable, int rows, int paddedRows, int tasks) {
                if (broken.getAndSet(false)) {
                    throw new IllegalStateException("observer bug");
                }
            }
        });

        var first = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1)));
        var second = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 2)));

        for (var answer : List.of(first, second)) {
            assertThatThrownBy(() -> get(answer)).hasCauseInstanceOf(ServingException.class)
                    .satisfies(e -> assertThat(((ServingException) e.getCause()).code()).isEqualTo(Code.INTERNAL))
                    .hasMessageContaining("observer bug");
        }
        var after = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(2, 1), 3, 4)));
        assertThat(Tensors.floatValues(get(after).get("y"))).containsExactly(6, 8);
    }

    @Test
    void requestWhoseDeadlinePassesWhileQueuedFailsAndNeverRuns() throws Exception {
        scheduler = start(options(8, Duration.ofSeconds(1)));

        var late = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1), Duration.ofMillis(5)));
        var patient = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 2), Duration.ZERO));
        ticker.advance(Duration.ofSeconds(1));
        scheduler.tickerMoved();

        assertThat(Tensors.floatValues(get(patient).get("y"))).containsExactly(4);
        assertThatThrownBy(() -> get(late)).hasCauseInstanceOf(ServingException.class)
                .satisfies(e -> assertThat(((ServingException) e.getCause()).code()).isEqualTo(Code.DEADLINE_EXCEEDED));
        assertThat(batchesRun).hasSize(1);
        assertThat(Tensors.floatValues(batchesRun.get(0))).containsExactly(2);
        assertThat(scheduler.stats().expired()).isEqualTo(1);
    }

    @Test
    void requestsThatCannotShareABatchNeverMix() throws Exception {
        scheduler = start(options(8, HOUR));
        SignatureDef variable = Signatures.floats(-1);

        var a = scheduler.schedule(request(MODEL, "a", variable, Tensors.floats(dims(1, 1), 1), Set.of()));
        var b = scheduler.schedule(request(MODEL, "b", variable, Tensors.floats(dims(1, 1), 2), Set.of()));
        var wide = scheduler.schedule(request(MODEL, "a", variable, Tensors.floats(dims(1, 2), 3, 4), Set.of()));
        var otherVersion = scheduler.schedule(request(new ServableId("model", 2), "a", variable,
                Tensors.floats(dims(1, 1), 5), Set.of()));
        var sameAsA = scheduler.schedule(request(MODEL, "a", variable, Tensors.floats(dims(1, 1), 6), Set.of("y")));
        ticker.advance(HOUR);
        scheduler.tickerMoved();

        assertThat(Tensors.floatValues(get(a).get("y"))).containsExactly(2);
        assertThat(Tensors.floatValues(get(b).get("y"))).containsExactly(4);
        assertThat(Tensors.floatValues(get(wide).get("y"))).containsExactly(6, 8);
        assertThat(Tensors.floatValues(get(otherVersion).get("y"))).containsExactly(10);
        assertThat(Tensors.floatValues(get(sameAsA).get("y"))).containsExactly(12);
        // "a" with filter {} and with filter {y} ask for the same outputs, so they share a batch.
        assertThat(batchesRun).hasSize(4);
    }

    @Test
    void variableLengthInputsArePaddedWithZerosToShareABatch() throws Exception {
        scheduler = start(options(8, HOUR).withPadVariableLengthInputs(true));
        SignatureDef variable = Signatures.floats(-1);

        var shorter = scheduler.schedule(request(variable, Tensors.floats(dims(1, 2), 1, 2)));
        var longer = scheduler.schedule(request(variable, Tensors.floats(dims(1, 3), 3, 4, 5)));
        ticker.advance(HOUR);
        scheduler.tickerMoved();

        assertThat(Tensors.floatValues(get(shorter).get("y"))).containsExactly(2, 4, 0);
        assertThat(Tensors.floatValues(get(longer).get("y"))).containsExactly(6, 8, 10);
        assertThat(batchesRun).hasSize(1);
        assertThat(Shapes.dims(batchesRun.get(0))).containsExactly(2, 3);
    }

    @Test
    void modelFailureFailsEveryRequestOfTheBatch() throws Exception {
        scheduler = start(options(2, HOUR));
        Function<Map<String, TensorProto>, Map<String, TensorProto>> failing = inputs -> {
            throw ServingException.invalidArgument("model says no");
        };

        var first = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1), failing));
        var second = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 2), failing));

        for (var answer : List.of(first, second)) {
            assertThatThrownBy(() -> get(answer)).hasCauseInstanceOf(ServingException.class)
                    .hasRootCauseMessage("model says no");
        }
    }

    @Test
    void liveUpdatesUnderConcurrentSubmitsLoseNothing() throws Exception {
        scheduler = new BatchScheduler(options(8, Duration.ofMillis(1)).withNumBatchThreads(2)
                .withMaxEnqueuedBatches(100_000), Ticker.system());
        List<BatchingOptions> variants = List.of(
                options(4, Duration.ZERO).withNumBatchThreads(1).withMaxEnqueuedBatches(100_000),
                adaptive(16, Duration.ofMillis(2)).withNumBatchThreads(3).withMaxEnqueuedBatches(100_000),
                options(8, Duration.ofMillis(1)).withAllowedBatchSizes(List.of(4, 8)).withMaxEnqueuedBatches(100_000),
                adaptive(12, Duration.ofMillis(1)).withLargeBatchSplitting(5).withMaxEnqueuedBatches(100_000));
        int submitters = 4;
        int perSubmitter = 400;
        ExecutorService pool = Executors.newFixedThreadPool(submitters + 1);
        try {
            List<Future<List<float[]>>> mismatches = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                int seed = s;
                mismatches.add(pool.submit(() -> submitAndCheck(seed, perSubmitter)));
            }
            Future<?> updater = pool.submit(() -> {
                for (int i = 0; i < 60; i++) {
                    scheduler.updateOptions(variants.get(i % variants.size()));
                    Thread.onSpinWait();
                }
                return null;
            });
            updater.get(30, TimeUnit.SECONDS);
            for (Future<List<float[]>> result : mismatches) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        BatchingStats stats = scheduler.stats();
        assertThat(stats.tasks()).isGreaterThanOrEqualTo((long) submitters * perSubmitter);
        assertThat(stats.queuedTasks()).isZero();
        assertThat(stats.expired() + stats.rejectedQueueFull()).isZero();
    }

    /** Submits requests of 1-3 rows and returns those whose answer was not exactly their own rows doubled. */
    private List<float[]> submitAndCheck(int seed, int count) throws Exception {
        Random random = new Random(seed);
        List<float[]> sent = new ArrayList<>();
        List<CompletableFuture<Map<String, TensorProto>>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] rows = new float[1 + random.nextInt(3)];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = seed * 1_000_000 + i * 10 + r;
            }
            sent.add(rows);
            answers.add(scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(rows.length, 1), rows))));
        }
        List<float[]> wrong = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] y = Tensors.floatValues(answers.get(i).get(30, TimeUnit.SECONDS).get("y"));
            float[] expected = sent.get(i).clone();
            for (int r = 0; r < expected.length; r++) {
                expected[r] *= 2;
            }
            if (!java.util.Arrays.equals(y, expected)) {
                wrong.add(sent.get(i));
            }
        }
        return wrong;
    }

    @Test
    void threadCountFollowsTheOptions() throws Exception {
        scheduler = start(options(4, HOUR).withNumBatchThreads(1));
        assertThat(scheduler.threadCount()).isEqualTo(1);

        scheduler.updateOptions(scheduler.options().withNumBatchThreads(3));
        assertThat(scheduler.threadCount()).isEqualTo(3);

        scheduler.updateOptions(scheduler.options().withNumBatchThreads(1));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (scheduler.threadCount() > 1 && System.nanoTime() < giveUp) {
            Thread.onSpinWait();
        }
        assertThat(scheduler.threadCount()).isEqualTo(1);
        var answer = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(4, 1), 1, 2, 3, 4)));
        assertThat(Tensors.floatValues(get(answer).get("y"))).containsExactly(2, 4, 6, 8);
    }

    @Test
    void closeRunsWhatIsQueuedThenRefusesNewRequests() throws Exception {
        scheduler = start(options(8, HOUR));
        var queued = scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1)));

        scheduler.close(Duration.ofSeconds(5));

        assertThat(Tensors.floatValues(get(queued).get("y"))).containsExactly(2);
        assertThatThrownBy(() -> scheduler.schedule(request(Signatures.floats(1), Tensors.floats(dims(1, 1), 1))))
                .isInstanceOf(ServingException.class)
                .satisfies(e -> assertThat(((ServingException) e).code()).isEqualTo(Code.UNAVAILABLE));
    }

    private BatchScheduler start(BatchingOptions options) {
        return new BatchScheduler(options, ticker);
    }

    /** Schedules on a thread of the test's own: a lone request may run on its caller's thread, blocking it. */
    private CompletableFuture<Map<String, TensorProto>> scheduleFromAnotherThread(BatchRequest request) {
        return CompletableFuture.supplyAsync(() -> scheduler.schedule(request), caller).thenCompose(answer -> answer);
    }

    /** A runner that says it runs, then blocks until released, then records and doubles. */
    private Function<Map<String, TensorProto>, Map<String, TensorProto>> blockingUntil(CountDownLatch running,
            CountDownLatch release) {
        return inputs -> {
            running.countDown();
            await(release);
            return recordAndDouble(inputs);
        };
    }

    /**
     * TF Serving's scheduler exactly: the adaptive timeout off. Most tests here pin down those semantics, which the
     * adaptive timeout keeps but for when a partial batch runs.
     */
    private static BatchingOptions options(int maxBatchSize, Duration timeout) {
        return adaptive(maxBatchSize, timeout).withAdaptiveBatchTimeout(false);
    }

    /** ServeDeck's default: the adaptive timeout on. */
    private static BatchingOptions adaptive(int maxBatchSize, Duration timeout) {
        return BatchingOptions.defaults().withMaxBatchSize(maxBatchSize).withBatchTimeoutMicros(timeout.toNanos() / 1000)
                .withMaxEnqueuedBatches(100).withNumBatchThreads(2);
    }

    private BatchRequest request(SignatureDef signature, TensorProto x) {
        return request(MODEL, "serving_default", signature, x, Set.of());
    }

    private BatchRequest request(SignatureDef signature, TensorProto x, Duration timeout) {
        return new BatchRequest(MODEL, LOADED, "serving_default", inspect(signature, x, Set.of()),
                this::recordAndDouble, timeout, Optional.empty());
    }

    private BatchRequest request(SignatureDef signature, TensorProto x,
            Function<Map<String, TensorProto>, Map<String, TensorProto>> runner) {
        return request(LOADED, signature, x, runner);
    }

    private static BatchRequest request(Object loadedInstance, SignatureDef signature, TensorProto x,
            Function<Map<String, TensorProto>, Map<String, TensorProto>> runner) {
        return new BatchRequest(MODEL, loadedInstance, "serving_default", inspect(signature, x, Set.of()), runner,
                Duration.ZERO, Optional.empty());
    }

    private static BatchRequest request(ServableId id, SignatureDef signature, TensorProto x,
            Function<Map<String, TensorProto>, Map<String, TensorProto>> runner) {
        return new BatchRequest(id, LOADED, "serving_default", inspect(signature, x, Set.of()), runner, Duration.ZERO,
                Optional.empty());
    }

    private BatchRequest request(ServableId id, String signatureName, SignatureDef signature, TensorProto x,
            Set<String> outputs) {
        return new BatchRequest(id, LOADED, signatureName, inspect(signature, x, outputs), this::recordAndDouble,
                Duration.ZERO, Optional.empty());
    }

    private static BatchableInputs inspect(SignatureDef signature, TensorProto x, Set<String> outputs) {
        return BatchableInputs.inspect(signature, Map.of("x", x), outputs).orElseThrow();
    }

    /** The test model: y = 2x, element by element, same shape. */
    private Map<String, TensorProto> recordAndDouble(Map<String, TensorProto> inputs) {
        batchesRun.add(inputs.get("x"));
        return doubled(inputs);
    }

    private static Map<String, TensorProto> doubled(Map<String, TensorProto> inputs) {
        TensorProto x = inputs.get("x");
        float[] values = Tensors.floatValues(x);
        for (int i = 0; i < values.length; i++) {
            values[i] *= 2;
        }
        return Map.of("y", Tensors.floats(Shapes.dims(x), values));
    }

    private static Map<String, TensorProto> get(CompletableFuture<Map<String, TensorProto>> answer)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        return answer.get(5, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
