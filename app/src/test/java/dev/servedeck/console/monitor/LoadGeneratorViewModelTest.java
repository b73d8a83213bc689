package dev.servedeck.console.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.core.signature.LoadRequestBody;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.console.chooser.VersionOption;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.console.testing.DirectExecutor;
import dev.servedeck.console.testing.FakeBackend;
import dev.servedeck.console.testing.ScriptedLoadTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator on the load engine: the plan it starts, progress per tick, errors by status; its request templates. */
class LoadGeneratorViewModelTest {

    private final FakeBackend backend = new FakeBackend();
    private LoadGeneratorViewModel viewModel;

    @BeforeEach
    void setUp() {
        backend.state = ServerStatus.State.RUNNING;
        viewModel = new LoadGeneratorViewModel(backend, new DirectExecutor(), new DirectExecutor());
    }

    /** The demo models, each with an AVAILABLE version 1 (the chooser offers them as the Predict page does). */
    private static void serveDemoModels(FakeBackend to) {
        to.models = List.of(model("half_plus_two"), model("mlp"));
    }

    private static ModelEntry model(String name) {
        return FakeBackend.model(name, new ServableVersionPolicy.Latest(1), Map.of(),
                List.of(new VersionEntry(1, ManagerState.AVAILABLE, "", Instant.EPOCH)));
    }

    /** Chooses where the load goes, as the operator does with the chooser's boxes. */
    private void target(String model, VersionOption version) {
        serveDemoModels(backend);
        viewModel.chooser().refreshModels();
        viewModel.chooser().modelProperty().set(model);
        viewModel.chooser().versionProperty().set(version);
    }

    private void offerDemoTargets() {
        serveDemoModels(backend);
        viewModel.chooser().refreshModels();
    }

    @Test
    void theLoadTargetDefaultsToHalfPlusTwoWithAValidBody() {
        backend.signatures = List.of(new SignatureInfo("serving_default", "tensorflow/serving/predict",
                List.of(new TensorInfo("x", "FLOAT", List.of(-1L, 1L), false)),
                List.of(new TensorInfo("y", "FLOAT", List.of(-1L, 1L), false))));
        viewModel = new LoadGeneratorViewModel(backend, new DirectExecutor(), new DirectExecutor());
        offerDemoTargets();

        assertThat(viewModel.chooser().modelProperty().get()).isEqualTo("half_plus_two");
        assertThat(viewModel.bodyProperty().get()).isEqualTo("{\"instances\":[[1.0],[2.0],[5.0]]}");
        assertThat(backend.calls).contains("signatures half_plus_two " + new VersionChoice.Latest());
    }

    @Test
    void aLargeInputGetsOneRowOfZeros() {
        String body = LoadRequestBody.predictBody(List.of(new SignatureInfo("serving_default",
                "tensorflow/serving/predict", List.of(new TensorInfo("images", "FLOAT", List.of(-1L, 784L), false)),
                List.of())));
        assertThat(body).startsWith("{\"instances\":[[0.0,0.0,").endsWith("0.0]]}");
        assertThat(body.split(",")).hasSize(784);
    }

    @Test
    void severalInputsAreNamedInEachInstance() {
        String body = LoadRequestBody.predictBody(List.of(new SignatureInfo("classify_it", "tensorflow/serving/predict",
                List.of(new TensorInfo("a", "INT64", List.of(-1L), false), new TensorInfo("b", "STRING", List.of(-1L, 2L), false)),
                List.of())));
        assertThat(body).isEqualTo("{\"signature_name\":\"classify_it\",\"instances\":[{\"a\":1,\"b\":[\"a\",\"a\"]},"
                + "{\"a\":2,\"b\":[\"a\",\"a\"]},{\"a\":5,\"b\":[\"a\",\"a\"]}]}");
    }

    @Test
    void aTf2ModelWithoutServingDefaultIsCalledByNameWithScalarsForInputsOfAnyShape() {
        TensorInfo anyShape = new TensorInfo("input", "FLOAT", List.of(), true);
        SignatureInfo classifyShaped = new SignatureInfo("classify_x_to_y", "tensorflow/serving/predict",
                List.of(new TensorInfo("inputs", "STRING", List.of(-1L), false)),
                List.of(new TensorInfo("scores", "FLOAT", List.of(-1L, 1L), false)));
        SignatureInfo add = new SignatureInfo("add", "tensorflow/serving/predict",
                List.of(new TensorInfo("a", "FLOAT", List.of(), true), new TensorInfo("b", "FLOAT", List.of(), true)),
                List.of(anyShape));
        // The classify-shaped signature sorts first but reads tf.Examples: the load goes to 'add', by name.
        assertThat(LoadRequestBody.predictBody(List.of(classifyShaped, add)))
                .isEqualTo("{\"signature_name\":\"add\",\"inputs\":{\"a\":1.0,\"b\":1.0}}");
        SignatureInfo scale = new SignatureInfo("scale", "tensorflow/serving/predict",
                List.of(new TensorInfo("factor", "FLOAT", List.of(), false, true), anyShape), List.of(anyShape));
        assertThat(LoadRequestBody.predictBody(List.of(scale)))
                .isEqualTo("{\"signature_name\":\"scale\",\"inputs\":{\"input\":1.0}}");
        assertThat(LoadRequestBody.predictBody(List.of())).isEqualTo("{\"instances\":[]}");
    }

    /**
     * The run ends on the engine's thread (the direct executor runs the UI update there): wait for it, and for its
     * final line, which the page writes last (the operation is no longer busy a moment before its outcome is shown).
     */
    private void awaitFinished() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((viewModel.runningProperty().get() || !finalLineShown()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(viewModel.runningProperty().get()).as("the run ended").isFalse();
    }

    private boolean finalLineShown() {
        String line = viewModel.progressTextProperty().get();
        return line.startsWith("Sent ") || line.startsWith("Swept ");
    }

    @Test
    void theLoadGeneratorRunsTheEngineWithExactlyNRequestsAtMostCInFlightAndCountsErrorsByStatus() throws Exception {
        // every 10th an HTTP 400; the 25th and 75th get no answer at all
        ScriptedLoadTarget target = new ScriptedLoadTarget(n -> n % 10 == 0 ? "400" : n % 25 == 0 ? "!connect failed" : "200");
        backend.loadTarget = spec -> target;
        target("mlp", VersionOption.number(1));
        viewModel.bodyProperty().set("{\"instances\":[[1.0]]}");
        viewModel.requestsProperty().set("100");
        viewModel.concurrencyProperty().set("8");

        viewModel.start();
        awaitFinished();

        assertThat(backend.loadSpecs).singleElement().satisfies(spec -> {
            assertThat(spec.predictPath()).isEqualTo("/v1/models/mlp/versions/1:predict");
            assertThat(spec.api()).isEqualTo(LoadSpec.Api.REST);
            assertThat(spec.body()).isEqualTo("{\"instances\":[[1.0]]}");
            assertThat(spec.plan().concurrency()).isEqualTo(8);
            assertThat(spec.plan().requests()).isEqualTo(100);
            assertThat(spec.plan().openLoop()).isFalse();
        });
        assertThat(target.sent()).isEqualTo(100);
        assertThat(target.maxInFlight()).isLessThanOrEqualTo(8);
        assertThat(target.closed).isTrue();
        assertThat(viewModel.sentProperty().get()).isEqualTo(100);
        assertThat(viewModel.okProperty().get()).isEqualTo(88);
        assertThat(viewModel.failedProperty().get()).isEqualTo(12);
        assertThat(viewModel.progressProperty().get()).isEqualTo(1.0);
        assertThat(viewModel.progressTextProperty().get()).startsWith("Sent 100 of 100 · 88 ok · 12 failed");
        assertThat(viewModel.errorProperty().get()).isEqualTo("Errors by status: 400: 10, connect failed: 2");
    }

    @Test
    void aSweepRunsEachLevelInTurnAndKeepsAPointPerLevel() throws Exception {
        target("mlp", VersionOption.LATEST);
        viewModel.bodyProperty().set("{\"instances\":[[1.0]]}");
        viewModel.sweepLevelsProperty().set("1, 3");
        viewModel.sweepSecondsProperty().set("1");

        viewModel.startSweep();
        assertThat(viewModel.sweepingProperty().get()).isTrue();
        awaitFinished();

        assertThat(backend.loadSpecs).extracting(spec -> spec.plan().concurrency()).containsExactly(1, 3);
        assertThat(backend.loadSpecs).allSatisfy(spec -> {
            assertThat(spec.plan().duration()).isEqualTo(java.time.Duration.ofSeconds(1));
            assertThat(spec.plan().warmUp()).isEqualTo(LoadGeneratorViewModel.SWEEP_WARM_UP);
            assertThat(spec.predictPath()).isEqualTo("/v1/models/mlp:predict");
        });
        var curve = viewModel.curveProperty().get();
        assertThat(curve.points()).extracting(point -> point.concurrency()).containsExactly(1, 3);
        assertThat(curve.points()).allSatisfy(point -> assertThat(point.result().ok()).isPositive());
        assertThat(viewModel.sweepingProperty().get()).isFalse();
        assertThat(viewModel.progressTextProperty().get()).startsWith("Swept 2 of 2 levels · best ");
    }

    @Test
    void sweepLevelsMustBeConcurrenciesTheGeneratorAllows() {
        target("mlp", VersionOption.LATEST);
        viewModel.sweepLevelsProperty().set("1,2,x");
        viewModel.startSweep();
        assertThat(viewModel.errorProperty().get()).startsWith("Sweep levels are concurrencies from 1 to 256");

        viewModel.sweepLevelsProperty().set("1,1000");
        viewModel.startSweep();
        assertThat(viewModel.errorProperty().get()).startsWith("Sweep levels are concurrencies from 1 to 256");
        assertThat(backend.loadSpecs).isEmpty();
        assertThat(viewModel.exportCurveCsv(java.nio.file.Path.of("unused.csv"))).isCompletedExceptionally();
        assertThat(viewModel.curveNoticeProperty().get()).isEqualTo("Run a sweep first: there is no curve to export.");
    }

    @Test
    void progressComesFromOneEngineSnapshotPerTick() throws Exception {
        ScriptedLoadTarget target = ScriptedLoadTarget.allOk();
        target.hold = true;
        backend.loadTarget = spec -> target;
        target("mlp", VersionOption.LATEST);
        viewModel.bodyProperty().set("{\"instances\":[[1.0]]}");
        viewModel.requestsProperty().set("1000");
        viewModel.concurrencyProperty().set("4");
        viewModel.start();

        viewModel.refreshProgress();
        assertThat(target.held()).isEqualTo(4);
        assertThat(viewModel.sentProperty().get()).isEqualTo(4);
        assertThat(viewModel.progressTextProperty().get()).startsWith("Sending: 4 of 1,000 · 0 ok · 0 failed");

        viewModel.stop();
        assertThat(viewModel.runningProperty().get()).isTrue(); // four still in flight
        target.release();
        awaitFinished();

        assertThat(target.sent()).isEqualTo(4);
        assertThat(viewModel.okProperty().get()).isEqualTo(4);
        assertThat(viewModel.progressTextProperty().get()).startsWith("Sent 4 of 1,000 · 4 ok · 0 failed");
    }

    @Test
    void answersThatArriveAtOnceDoNotRecurse() throws Exception {
        ScriptedLoadTarget target = ScriptedLoadTarget.allOk(); // answers inline: the loop must not grow the stack
        backend.loadTarget = spec -> target;
        target("mlp", VersionOption.LATEST);
        viewModel.bodyProperty().set("{\"instances\":[[1.0]]}");
        viewModel.requestsProperty().set("50000");
        viewModel.concurrencyProperty().set("64");

        viewModel.start();
        awaitFinished();

        assertThat(viewModel.okProperty().get()).isEqualTo(50_000);
        assertThat(target.sent()).isEqualTo(50_000);
    }

    @Test
    void aRateMakesAnOpenLoopAndGrpcGoesToTheGrpcApi() throws Exception {
        target("half_plus_two", VersionOption.LATEST);
        viewModel.bodyProperty().set("{\"instances\":[[1.0]]}");
        viewModel.requestsProperty().set("20");
        viewModel.rateProperty().set("2,000");
        viewModel.apiProperty().set(LoadSpec.Api.GRPC);

        viewModel.start();
        awaitFinished();

        assertThat(backend.loadSpecs).singleElement().satisfies(spec -> {
            assertThat(spec.api()).isEqualTo(LoadSpec.Api.GRPC);
            assertThat(spec.plan().ratePerSecond()).isEqualTo(2000);
            assertThat(spec.version()).isEqualTo(VersionChoice.LATEST);
        });
        assertThat(viewModel.okProperty().get()).isEqualTo(20);
    }

    @Test
    void aLoadThatCannotStartIsExplained() {
        target("half_plus_two", VersionOption.LATEST);
        viewModel.bodyProperty().set("{\"instances\":[[1.0]]}");
        backend.failNext("The server has no gRPC port");

        viewModel.start();

        assertThat(viewModel.runningProperty().get()).isFalse();
        assertThat(viewModel.errorProperty().get()).startsWith("The load generator stopped: ")
                .contains("no gRPC port");
    }

    @Test
    void withoutATargetNothingIsSent() {
        viewModel.bodyProperty().set("{}");
        viewModel.start();
        assertThat(viewModel.errorProperty().get()).startsWith("Choose a model");
        assertThat(viewModel.runningProperty().get()).isFalse();
    }

    @Test
    void badLoadSettingsAreExplainedAndSendNothing() {
        offerDemoTargets();
        viewModel.bodyProperty().set("{}");
        viewModel.requestsProperty().set("lots");
        viewModel.start();
        assertThat(viewModel.errorProperty().get()).isEqualTo("Requests must be a whole number from 1 to 10,000,000, not 'lots'");

        viewModel.requestsProperty().set("10");
        viewModel.concurrencyProperty().set("0");
        viewModel.start();
        assertThat(viewModel.errorProperty().get()).startsWith("Concurrency must be a whole number from 1 to 256");

        viewModel.concurrencyProperty().set("2");
        viewModel.rateProperty().set("fast");
        viewModel.start();
        assertThat(viewModel.errorProperty().get()).startsWith("Rate must be a whole number from 0 to 1,000,000");

        viewModel.rateProperty().set("");
        viewModel.bodyProperty().set(" ");
        viewModel.start();
        assertThat(viewModel.errorProperty().get()).startsWith("The request body is empty");
        assertThat(backend.calls).noneMatch(call -> call.startsWith("startLoad"));
        assertThat(viewModel.runningProperty().get()).isFalse();
    }
}
