package dev.servedeck.console.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.chooser.VersionOption;
import dev.servedeck.core.signature.RestVerb;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Predict page's ViewModel speaking the Open Inference Protocol to a real server (real TensorFlow, real HTTP)
 * serving the demo models, without a toolkit: one single-threaded executor plays the FX thread. Run on the embedded
 * server ({@link PredictOpenInferenceTest}) and on one in another process with TLS and a token
 * ({@link RemotePredictOpenInferenceTest}); each subclass starts its server once for its tests.
 */
abstract class PredictOpenInferenceContract {

    private final ExecutorService ui = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "test-fx");
        thread.setDaemon(true);
        return thread;
    });
    private PredictViewModel viewModel;

    /** The backend on the server serving the demo models, started and connected. */
    protected abstract ConsoleBackend backend();

    @BeforeEach
    void openPage() throws Exception {
        viewModel = onUi(() -> new PredictViewModel(backend(), ui, java.time.Clock.systemUTC()));
        awaitOnUi(() -> "half_plus_two".equals(viewModel.modelProperty().get())
                && viewModel.signatureProperty().get() != null);
    }

    @AfterEach
    void closePage() throws Exception {
        onUi(() -> {
            viewModel.close();
            return null;
        });
        ui.shutdownNow();
    }

    @Test
    void halfPlusTwoOverV2AnswersTheSameTableAsV1() throws Exception {
        onUi(() -> {
            viewModel.protocolProperty().set(PredictProtocol.OPEN_INFERENCE_V2);
            return null;
        });
        // The template is the protocol's, from the signature, by the server's datatype mapping.
        assertThat(onUi(() -> viewModel.requestProperty().get()).replaceAll("\\s", ""))
                .isEqualTo("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1],\"datatype\":\"FP32\",\"data\":[0.0]}]}");
        assertThat(onUi(() -> viewModel.requestLineProperty().get())).isEqualTo("POST /v2/models/half_plus_two/infer");

        send("{\"inputs\":[{\"name\":\"x\",\"shape\":[3,1],\"datatype\":\"FP32\",\"data\":[1.0,2.0,5.0]}]}");

        assertThat(onUi(() -> viewModel.statusProperty().get())).isEqualTo("HTTP 200 OK");
        assertThat(onUi(() -> viewModel.responseProperty().get())).contains("\"model_name\": \"half_plus_two\"");
        ResponseTable table = onUi(() -> viewModel.tableProperty().get());
        assertThat(table.columns()).containsExactly("#", "y");
        assertThat(table.rows()).containsExactly(List.of("0", "2.5"), List.of("1", "3.0"), List.of("2", "4.5"));
        HistoryEntry entry = onUi(() -> viewModel.history().get(0));
        assertThat(entry.protocol()).isEqualTo(PredictProtocol.OPEN_INFERENCE_V2);
        assertThat(entry.summary(java.time.ZoneOffset.UTC)).endsWith("half_plus_two latest serving_default v2 infer");
        assertThat(onUi(() -> viewModel.curlCommand().orElseThrow())).isEqualTo(
                "curl -s -X POST -H 'Content-Type: application/json' -d '{\"inputs\":[{\"name\":\"x\",\"shape\":[3,1],"
                        + "\"datatype\":\"FP32\",\"data\":[1.0,2.0,5.0]}]}' " + backend().restBaseUrl().orElseThrow()
                        + "/v2/models/half_plus_two/infer");
    }

    @Test
    void theMlpsTemplateGoesOutUnchangedAndItsOutputsFillTheTable() throws Exception {
        onUi(() -> {
            viewModel.protocolProperty().set(PredictProtocol.OPEN_INFERENCE_V2);
            viewModel.modelProperty().set("mlp");
            return null;
        });
        awaitOnUi(() -> viewModel.requestProperty().get().contains("\"images\""));
        assertThat(onUi(() -> viewModel.requestProperty().get())).contains("\"shape\": [1, 784]")
                .contains("\"datatype\": \"FP32\"");

        onUi(viewModel::send).get(60, TimeUnit.SECONDS);
        awaitOnUi(() -> !viewModel.history().isEmpty());

        assertThat(onUi(() -> viewModel.statusProperty().get())).isEqualTo("HTTP 200 OK");
        ResponseTable table = onUi(() -> viewModel.tableProperty().get());
        assertThat(table.columns()).hasSize(12).contains("classes", "probabilities[0]", "probabilities[9]");
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += Double.parseDouble(table.cell(0, table.columns().indexOf("probabilities[" + i + "]")));
        }
        assertThat(sum).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void aBadShapeShowsTheProtocolsErrorAndClassifyIsOffered() throws Exception {
        onUi(() -> {
            viewModel.verbProperty().set(RestVerb.PREDICT);
            viewModel.protocolProperty().set(PredictProtocol.OPEN_INFERENCE_V2);
            return null;
        });
        assertThat(onUi(() -> viewModel.verbNoteProperty().get())).contains("Classify and Regress are TF Serving's");

        send("{\"inputs\":[{\"name\":\"x\",\"shape\":[4,1],\"datatype\":\"FP32\",\"data\":[1.0,2.0,5.0]}]}");

        assertThat(onUi(() -> viewModel.statusProperty().get())).isEqualTo("HTTP 400 Bad Request");
        assertThat(onUi(() -> viewModel.errorProperty().get()))
                .isEqualTo("HTTP 400: Input 'x' has 3 values, but its shape [4,1] holds 4");
        assertThat(onUi(() -> viewModel.tableProperty().get().isEmpty())).isTrue();

        // Back to v1: the verb can be chosen again and the template is TF Serving's.
        onUi(() -> {
            viewModel.protocolProperty().set(PredictProtocol.TF_SERVING_V1);
            return null;
        });
        assertThat(onUi(() -> viewModel.verbNoteProperty().get())).isEmpty();
        assertThat(onUi(() -> viewModel.requestProperty().get()).replaceAll("\\s", ""))
                .isEqualTo("{\"instances\":[[0.0]]}");
    }

    @Test
    void aLabelIsSentAsTheVersionItPointsAtAndAnUnknownOneIsRefused() throws Exception {
        long version = backend().models().stream().filter(model -> model.name().equals("half_plus_two")).findFirst()
                .orElseThrow().versions().get(0).version();
        backend().setLabel("half_plus_two", "stable", version).get(60, TimeUnit.SECONDS);
        onUi(() -> {
            viewModel.protocolProperty().set(PredictProtocol.OPEN_INFERENCE_V2);
            viewModel.versionProperty().set(VersionOption.label("stable"));
            return null;
        });
        awaitOnUi(() -> viewModel.signatureProperty().get() != null);
        assertThat(onUi(() -> viewModel.requestLineProperty().get())).isEqualTo("POST /v2/models/half_plus_two/versions/"
                + version + "/infer  (label stable: v2 has no labels)");

        send("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[4.0]}]}");
        assertThat(onUi(() -> viewModel.statusProperty().get())).isEqualTo("HTTP 200 OK");
        assertThat(onUi(() -> viewModel.responseProperty().get())).contains("\"model_version\": \"" + version + "\"");
        HistoryEntry entry = onUi(() -> viewModel.history().get(0));
        assertThat(entry.version()).isEqualTo(VersionOption.label("stable"));

        onUi(() -> {
            viewModel.versionProperty().set(VersionOption.label("canary"));
            return null;
        });
        awaitOnUi(() -> !viewModel.loadingSignaturesProperty().get());
        onUi(() -> {
            viewModel.requestProperty().set("{\"inputs\":[]}");
            return viewModel.send();
        }).get(60, TimeUnit.SECONDS);
        assertThat(onUi(() -> viewModel.requestProblemProperty().get())).isEqualTo("Not sent: The Open Inference "
                + "Protocol has no version labels, and label 'canary' of half_plus_two points at no version: choose a "
                + "version number.");
        assertThat(onUi(() -> viewModel.history().size())).isEqualTo(1);
    }

    /** Puts {@code body} in the editor, sends it and waits for the answer. */
    private void send(String body) throws Exception {
        int before = onUi(() -> viewModel.history().size());
        onUi(() -> {
            viewModel.requestProperty().set(body);
            return viewModel.send();
        }).get(60, TimeUnit.SECONDS);
        awaitOnUi(() -> viewModel.history().size() == before + 1);
    }

    private <T> T onUi(Callable<T> work) throws Exception {
        return ui.submit(work).get(60, TimeUnit.SECONDS);
    }

    private void awaitOnUi(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!onUi(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in 60 s");
            }
            Thread.sleep(20);
        }
    }
}
