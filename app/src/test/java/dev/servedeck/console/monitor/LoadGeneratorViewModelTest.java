package dev.servedeck.console.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.RestCall;
import dev.servedeck.console.backend.RestReply;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.core.signature.LoadRequestBody;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.testing.DirectExecutor;
import dev.servedeck.console.testing.FakeBackend;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator: exactly N requests, at most C in flight, answers counted; its request templates. */
class LoadGeneratorViewModelTest {

    private final FakeBackend backend = new FakeBackend();
    private LoadGeneratorViewModel viewModel;

    @BeforeEach
    void setUp() {
        backend.state = ServerStatus.State.RUNNING;
        viewModel = new LoadGeneratorViewModel(backend, new DirectExecutor());
    }

    private void offerDemoTargets() {
        viewModel.offerTargets(new TreeSet<>(List.of(MonitorScope.ofModel("mlp"), MonitorScope.ofVersion("mlp", 1),
                MonitorScope.ofModel("half_plus_two"), MonitorScope.ofVersion("half_plus_two", 1))));
    }

    @Test
    void theLoadTargetDefaultsToHalfPlusTwoWithAValidBody() {
        backend.signatures = List.of(new SignatureInfo("serving_default", "tensorflow/serving/predict",
                List.of(new TensorInfo("x", "FLOAT", List.of(-1L, 1L), false)),
                List.of(new TensorInfo("y", "FLOAT", List.of(-1L, 1L), false))));
        viewModel = new LoadGeneratorViewModel(backend, new DirectExecutor());
        offerDemoTargets();

        assertThat(viewModel.targetProperty().get()).isEqualTo(MonitorScope.ofModel("half_plus_two"));
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

    @Test
    void theLoadGeneratorSendsExactlyNRequestsWithAtMostCInFlight() {
        ControlledRest rest = new ControlledRest();
        backend.signatures = List.of();
        viewModel = new LoadGeneratorViewModel(rest, new DirectExecutor());
        viewModel.targetProperty().set(MonitorScope.ofVersion("mlp", 1));
        viewModel.bodyProperty().set("{\"instances\":[[1.0]]}");
        viewModel.requestsProperty().set("100");
        viewModel.concurrencyProperty().set("8");

        viewModel.start();
        assertThat(viewModel.runningProperty().get()).isTrue();
        int answered = 0;
        while (!rest.pending.isEmpty()) {
            assertThat(rest.pending.size()).isLessThanOrEqualTo(8);
            rest.maxInFlight = Math.max(rest.maxInFlight, rest.pending.size());
            CompletableFuture<RestReply> next = rest.pending.removeFirst();
            answered++;
            if (answered % 10 == 0) {
                next.complete(new RestReply(400, "{\"error\": \"bad\"}", Duration.ofMillis(1)));
            } else if (answered % 25 == 0) {
                next.completeExceptionally(new java.net.ConnectException("Connection refused"));
            } else {
                next.complete(new RestReply(200, "{}", Duration.ofMillis(1)));
            }
        }

        assertThat(rest.sent).hasSize(100);
        assertThat(rest.sent).allSatisfy(call -> assertThat(call.path()).isEqualTo("/v1/models/mlp/versions/1:predict"));
        assertThat(rest.maxInFlight).isEqualTo(8);
        assertThat(viewModel.runningProperty().get()).isFalse();
        assertThat(viewModel.sentProperty().get()).isEqualTo(100);
        assertThat(viewModel.okProperty().get()).isEqualTo(88); // every 10th an HTTP 400, the 25th and 75th refused
        assertThat(viewModel.failedProperty().get()).isEqualTo(12);
        assertThat(viewModel.progressProperty().get()).isEqualTo(1.0);
        assertThat(viewModel.progressTextProperty().get()).startsWith("Sent 100 of 100 · 88 ok · 12 failed");
        assertThat(viewModel.errorProperty().get()).startsWith("Last failure: ");
    }

    @Test
    void stoppingSendsNoMoreAndCountsThoseInFlight() {
        ControlledRest rest = new ControlledRest();
        viewModel = new LoadGeneratorViewModel(rest, new DirectExecutor());
        viewModel.targetProperty().set(MonitorScope.ofModel("mlp"));
        viewModel.bodyProperty().set("{\"instances\":[[1.0]]}");
        viewModel.requestsProperty().set("1000");
        viewModel.concurrencyProperty().set("4");
        viewModel.start();
        rest.pending.removeFirst().complete(new RestReply(200, "{}", Duration.ZERO));
        assertThat(rest.sent).hasSize(5);

        viewModel.stop();
        assertThat(viewModel.runningProperty().get()).isTrue(); // four still in flight
        while (!rest.pending.isEmpty()) {
            rest.pending.removeFirst().complete(new RestReply(200, "{}", Duration.ZERO));
        }

        assertThat(rest.sent).hasSize(5);
        assertThat(viewModel.runningProperty().get()).isFalse();
        assertThat(viewModel.okProperty().get()).isEqualTo(5);
        assertThat(viewModel.progressTextProperty().get()).startsWith("Sent 5 of 1,000 · 5 ok · 0 failed");
    }

    @Test
    void answersThatArriveAtOnceDoNotRecurse() {
        AtomicInteger sent = new AtomicInteger();
        FakeBackend instant = new FakeBackend() {
            @Override
            public CompletableFuture<RestReply> sendRest(RestCall call) {
                sent.incrementAndGet();
                return CompletableFuture.completedFuture(new RestReply(200, "{}", Duration.ZERO));
            }
        };
        viewModel = new LoadGeneratorViewModel(instant, new DirectExecutor());
        viewModel.targetProperty().set(MonitorScope.ofModel("mlp"));
        viewModel.bodyProperty().set("{\"instances\":[[1.0]]}");
        viewModel.requestsProperty().set("50000");
        viewModel.concurrencyProperty().set("64");

        viewModel.start(); // the fake backend answers inline: the loop must not grow the stack

        assertThat(viewModel.okProperty().get()).isEqualTo(50_000);
        assertThat(viewModel.runningProperty().get()).isFalse();
        assertThat(sent.get()).isEqualTo(50_000);
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
        viewModel.bodyProperty().set(" ");
        viewModel.start();
        assertThat(viewModel.errorProperty().get()).startsWith("The request body is empty");
        assertThat(backend.calls).noneMatch(call -> call.startsWith("sendRest"));
        assertThat(viewModel.runningProperty().get()).isFalse();
    }

    /** A backend whose REST answers the test gives, one by one. */
    private static final class ControlledRest extends FakeBackend {
        final Deque<CompletableFuture<RestReply>> pending = new ArrayDeque<>();
        final List<RestCall> sent = Collections.synchronizedList(new ArrayList<>());
        int maxInFlight;

        ControlledRest() {
            state = ServerStatus.State.RUNNING;
        }

        @Override
        public CompletableFuture<RestReply> sendRest(RestCall call) {
            sent.add(call);
            CompletableFuture<RestReply> reply = new CompletableFuture<>();
            pending.addLast(reply);
            return reply;
        }
    }
}
