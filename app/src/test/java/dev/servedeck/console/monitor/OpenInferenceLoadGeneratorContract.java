package dev.servedeck.console.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.LoadSpec;
import dev.servedeck.console.chooser.VersionOption;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Monitor's load generator driving the Open Inference Protocol through a backend's {@code startLoad}, against
 * the real server on its REST and gRPC ports: the body built from the signature, every request answered OK, a label
 * sent as its version. Run through the embedded backend ({@link OpenInferenceLoadGeneratorTest}) and the remote one
 * to a server in another process with TLS and a token ({@link RemoteOpenInferenceLoadGeneratorTest}).
 */
abstract class OpenInferenceLoadGeneratorContract {

    private final ExecutorService ui = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "test-fx");
        thread.setDaemon(true);
        return thread;
    });
    private LoadGeneratorViewModel viewModel;

    /** The backend on the server serving the demo models over REST and gRPC, started and connected. */
    protected abstract ConsoleBackend backend();

    @BeforeEach
    void open() throws Exception {
        viewModel = onUi(() -> new LoadGeneratorViewModel(backend(), ui, ui));
        awaitOnUi(() -> viewModel.chooser().signatureProperty().get() != null);
    }

    @AfterEach
    void close() throws Exception {
        onUi(() -> {
            viewModel.close();
            return null;
        });
        ui.shutdownNow();
    }

    @Test
    void restV2AndGrpcV2LoadHalfPlusTwoWithoutErrors() throws Exception {
        assertThat(onUi(() -> viewModel.chooser().modelProperty().get())).isEqualTo("half_plus_two");
        for (LoadSpec.Api api : new LoadSpec.Api[] {LoadSpec.Api.REST_V2, LoadSpec.Api.GRPC_V2}) {
            onUi(() -> {
                viewModel.apiProperty().set(api);
                viewModel.requestsProperty().set("300");
                viewModel.concurrencyProperty().set("4");
                return null;
            });
            assertThat(onUi(() -> viewModel.bodyProperty().get())).isEqualTo(
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[3,1],\"datatype\":\"FP32\",\"data\":[1.0,2.0,5.0]}]}");

            run();

            assertThat(onUi(() -> viewModel.errorProperty().get())).as(api.name()).isEmpty();
            assertThat(onUi(() -> viewModel.okProperty().get())).as(api.name()).isEqualTo(300);
            assertThat(onUi(() -> viewModel.failedProperty().get())).as(api.name()).isZero();
            // Over the transport asked for: the server logged the run's last requests under that entrypoint.
            String entrypoint = api.overGrpc() ? "GRPC" : "REST";
            awaitOnUi(() -> backend().recentRequests(1).stream()
                    .anyMatch(entry -> entry.entrypoint().equals(entrypoint)));
            assertThat(backend().recentRequests(20)).as(api.name()).isNotEmpty()
                    .allSatisfy(entry -> assertThat(entry.entrypoint()).as(api.name()).isEqualTo(entrypoint));
        }
        // Back to TF Serving's protocol: its own body again.
        onUi(() -> {
            viewModel.apiProperty().set(LoadSpec.Api.REST);
            return null;
        });
        assertThat(onUi(() -> viewModel.bodyProperty().get())).isEqualTo("{\"instances\":[[1.0],[2.0],[5.0]]}");
    }

    @Test
    void aLabelGoesAsItsVersionAndAnUnknownLabelIsRefused() throws Exception {
        long version = backend().models().stream().filter(model -> model.name().equals("half_plus_two")).findFirst()
                .orElseThrow().versions().get(0).version();
        backend().setLabel("half_plus_two", "stable", version).get(60, TimeUnit.SECONDS);
        onUi(() -> {
            viewModel.apiProperty().set(LoadSpec.Api.GRPC_V2);
            viewModel.chooser().versionProperty().set(VersionOption.label("stable"));
            viewModel.requestsProperty().set("50");
            return null;
        });
        awaitOnUi(() -> viewModel.chooser().signatureProperty().get() != null);

        run();
        assertThat(onUi(() -> viewModel.okProperty().get())).isEqualTo(50);

        onUi(() -> {
            viewModel.chooser().versionProperty().set(VersionOption.label("canary"));
            return null;
        });
        awaitOnUi(() -> !viewModel.chooser().loadingProperty().get()); // the server says it knows no such label
        onUi(() -> {
            viewModel.start();
            return null;
        });
        assertThat(onUi(() -> viewModel.errorProperty().get())).isEqualTo("The Open Inference Protocol has no "
                + "version labels, and label 'canary' of half_plus_two points at no version: choose a version number");
        assertThat(onUi(() -> viewModel.runningProperty().get())).isFalse();
    }

    private void run() throws Exception {
        boolean started = onUi(() -> {
            viewModel.start();
            return viewModel.runningProperty().get();
        });
        assertThat(started).as(onUi(() -> viewModel.errorProperty().get())).isTrue();
        awaitOnUi(() -> !viewModel.runningProperty().get());
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
