package dev.servedeck.console.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ActiveBackend;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.backend.remote.RemoteBackend;
import dev.servedeck.console.connections.Connection;
import java.net.URI;
import java.util.Optional;
import dev.servedeck.console.testing.DirectExecutor;
import dev.servedeck.console.testing.FakeBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerViewModelTest {

    private FakeBackend backend;
    private ServerViewModel viewModel;

    @BeforeEach
    void setUp() {
        backend = new FakeBackend();
        ServerSettings settings = new ServerSettings("127.0.0.1", 8501, 8500, true,
                new ModelSource.Demo(Path.of("/tmp/demo")), Path.of("/tmp/logs"));
        viewModel = new ServerViewModel(backend, new DirectExecutor(), Clock.systemUTC(), settings,
                Path.of("/tmp/restart.config"));
    }

    @Test
    void startsWithTheSettingsShownAndShowsTheRunningServer() {
        viewModel.restPortProperty().set("9501");
        viewModel.batchingProperty().set(false);

        viewModel.start().join();

        assertThat(backend.calls).containsExactly(
                "start 127.0.0.1 9501 8500 batching=false Demo[root=/tmp/demo]");
        assertThat(viewModel.stateProperty().get()).isEqualTo(ServerStatus.State.RUNNING);
        assertThat(viewModel.uptimeProperty().get()).isEqualTo("1 min 15 s");
        assertThat(viewModel.endpoints()).anyMatch(line -> line.contains("http://127.0.0.1:8501/v1/models/"));
        assertThat(viewModel.canStartProperty().get()).isFalse();
        assertThat(viewModel.canStopProperty().get()).isTrue();
    }

    @Test
    void refusesBadPortsWithAReasonAndStartsNothing() {
        viewModel.restPortProperty().set("http");
        viewModel.grpcPortProperty().set("70000");

        viewModel.start().join();

        assertThat(backend.calls).isEmpty();
        assertThat(viewModel.settingsErrorProperty().get())
                .contains("REST port must be a number from 0 to 65535")
                .contains("gRPC port must be a number from 0 to 65535");
    }

    @Test
    void refusesTheSamePortForRestAndGrpc() {
        viewModel.grpcPortProperty().set("8501");

        assertThat(viewModel.validatedSettings()).isEmpty();
        assertThat(viewModel.settingsErrorProperty().get()).contains("cannot share port 8501");
    }

    @Test
    void grpcOffMeansNoGrpcPort() {
        viewModel.grpcEnabledProperty().set(false);
        viewModel.grpcPortProperty().set("not checked when off");

        assertThat(viewModel.validatedSettings()).get().extracting(ServerSettings::grpcPort)
                .isEqualTo(ServerSettings.NO_GRPC);
    }

    @Test
    void showsTheServersMessageWhenStartFails() {
        backend.failNext("Address already in use: 127.0.0.1:8501");

        viewModel.start().join();

        assertThat(viewModel.failureProperty().get()).isEqualTo("Address already in use: 127.0.0.1:8501");
        assertThat(viewModel.busyProperty().get()).isFalse();
    }

    @Test
    void restartKeepsTheModelsInForceBySavingThemAsAConfigFile() {
        viewModel.start().join();
        backend.calls.clear();

        viewModel.restart().join();

        assertThat(backend.calls).containsExactly(
                "saveModelConfig /tmp/restart.config",
                "stop",
                "start 127.0.0.1 8501 8500 batching=true ConfigFile[file=/tmp/restart.config]");
        assertThat(viewModel.modelSourceProperty().get()).isEqualTo(new ModelSource.ConfigFile(Path.of("/tmp/restart.config")));
    }

    @Test
    void formatsDurations() {
        assertThat(ServerViewModel.formatDuration(Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(ServerViewModel.formatDuration(Duration.ofSeconds(3 * 3600 + 7 * 60))).isEqualTo("3 h 07 min");
    }

    @Test
    void startStopNameAndNoticeFollowASwitchToARemoteServerAndBack() {
        ActiveBackend active = new ActiveBackend(backend);
        ServerViewModel followed = new ServerViewModel(active, new DirectExecutor(), Clock.systemUTC(),
                new ServerSettings("127.0.0.1", 0, 0, true, new ModelSource.Demo(Path.of("demo")), Path.of("logs")),
                Path.of("restart.config"));
        followed.refresh();
        assertThat(followed.canStartProperty().get()).isTrue();
        assertThat(followed.backendNotice()).isEmpty();

        // Not started: it sends nothing, its capabilities are all this test reads.
        RemoteBackend edge = RemoteBackend.connect(new Connection("edge", "edge-3", URI.create("https://edge-3:8501"),
                Optional.empty(), Optional.empty()), Optional.empty(), Optional.empty());
        active.switchTo(edge, "Now managing edge-3");

        // The switch's event refreshed the page: no Start for a process that is not the console's, the notice shown.
        assertThat(followed.serverName()).isEqualTo("edge-3");
        assertThat(followed.canStartProperty().get()).isFalse();
        assertThat(followed.backendNotice()).startsWith("Managing edge-3 (https://edge-3:8501, admin API on edge-3:8500)");

        active.switchTo(backend, "Now managing Embedded server");
        assertThat(followed.serverName()).isEqualTo("Embedded server");
        assertThat(followed.canStartProperty().get()).isTrue();
        assertThat(followed.capabilitiesProperty().get().notice()).isEmpty();
        edge.close();
    }
}
