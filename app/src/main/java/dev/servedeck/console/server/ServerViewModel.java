package dev.servedeck.console.server;

import dev.servedeck.console.kit.FxCoalescer;
import dev.servedeck.console.backend.BackendCapabilities;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.backend.TlsSettings;
import dev.servedeck.console.kit.OperationState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Server page and the status bar: the embedded server's state, uptime, models and memory; its settings
 * (host, ports, batching) with validation; start, stop and restart. A restart keeps the models in force by
 * saving them as a model config file and starting from it.
 */
public final class ServerViewModel {

    private final ConsoleBackend backend;
    private final Executor ui;
    private final Clock clock;
    private final Path restartConfig;

    private final ReadOnlyObjectWrapper<BackendCapabilities> capabilities = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<ServerStatus.State> state = new ReadOnlyObjectWrapper<>(ServerStatus.State.STOPPED);
    private final ReadOnlyStringWrapper uptime = new ReadOnlyStringWrapper("–");
    private final ReadOnlyStringWrapper models = new ReadOnlyStringWrapper("0");
    private final ReadOnlyStringWrapper versions = new ReadOnlyStringWrapper("0");
    private final ReadOnlyStringWrapper heap = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper settingsError = new ReadOnlyStringWrapper("");
    /** Start, stop, restart: one at a time, busy while it runs, the server's message when it fails. */
    private final OperationState operation;
    private final ObservableList<String> endpoints = FXCollections.observableArrayList();

    private final StringProperty host = new SimpleStringProperty(ServerSettings.DEFAULT_HOST);
    private final StringProperty restPort = new SimpleStringProperty(Integer.toString(ServerSettings.DEFAULT_REST_PORT));
    private final StringProperty grpcPort = new SimpleStringProperty(Integer.toString(ServerSettings.DEFAULT_GRPC_PORT));
    private final BooleanProperty grpcEnabled = new SimpleBooleanProperty(true);
    private final BooleanProperty batching = new SimpleBooleanProperty(true);
    private final ObjectProperty<ModelSource> modelSource = new SimpleObjectProperty<>();
    private final Path requestLogDir;
    /** TLS comes from the command line and is kept across restarts from this page. */
    private final Optional<TlsSettings> tls;

    private final BooleanBinding canStart;
    private final BooleanBinding canStop;

    /**
     * @param initial the settings to show (and to start with)
     * @param restartConfig where a restart saves the models in force
     */
    public ServerViewModel(ConsoleBackend backend, Executor ui, Clock clock, ServerSettings initial, Path restartConfig) {
        this.backend = backend;
        this.ui = ui;
        this.clock = clock;
        this.restartConfig = restartConfig;
        this.operation = new OperationState(ui);
        ReadOnlyBooleanProperty busy = operation.busyProperty();
        this.requestLogDir = initial.requestLogDir();
        this.tls = initial.tls();
        host.set(initial.host());
        restPort.set(Integer.toString(initial.restPort()));
        grpcEnabled.set(initial.grpcPort() != ServerSettings.NO_GRPC);
        grpcPort.set(Integer.toString(initial.grpcPort() == ServerSettings.NO_GRPC
                ? ServerSettings.DEFAULT_GRPC_PORT : initial.grpcPort()));
        batching.set(initial.batching());
        modelSource.set(initial.models());
        capabilities.set(backend.capabilities());
        canStart = Bindings.createBooleanBinding(() -> capabilities.get().controlsProcess() && !busy.get()
                        && (state.get() == ServerStatus.State.STOPPED || state.get() == ServerStatus.State.FAILED),
                busy, state, capabilities);
        canStop = Bindings.createBooleanBinding(() -> capabilities.get().controlsProcess() && !busy.get()
                        && state.get() == ServerStatus.State.RUNNING,
                busy, state, capabilities);
        // Events come in bursts on server threads (a model loading is several): one refresh per burst.
        FxCoalescer refreshSoon = new FxCoalescer(ui, this::refresh);
        backend.onEvent(event -> refreshSoon.run());
    }

    /** What the operator must know about managing this server (shown above every page); empty for the embedded one. */
    public String backendNotice() {
        return capabilities.get().notice().orElse("");
    }

    /** The managed server's name for the status bar ("Embedded server", a connection's name). */
    public String serverName() {
        return capabilities.get().serverName();
    }

    /**
     * What the server managed now lets the console do. Re-read on every refresh: the console may switch servers
     * while it runs, and the pages' buttons and notices follow.
     */
    public ReadOnlyObjectProperty<BackendCapabilities> capabilitiesProperty() {
        return capabilities.getReadOnlyProperty();
    }

    /** Starts the server with the settings shown. */
    public CompletableFuture<Void> start() {
        Optional<ServerSettings> valid = validatedSettings();
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return run("Starting the server", () -> backend.start(valid.get()));
    }

    public CompletableFuture<Void> stop() {
        return run("Stopping the server", backend::stop);
    }

    /** Stop, then start with the settings shown, serving the models in force before. */
    public CompletableFuture<Void> restart() {
        Optional<ServerSettings> valid = validatedSettings();
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        ServerSettings settings = valid.get();
        boolean keepModels = backend.status().running();
        return run("Restarting the server", () -> {
            CompletableFuture<Void> saved = keepModels ? backend.saveModelConfig(restartConfig)
                    : CompletableFuture.completedFuture(null);
            return saved.thenCompose(ignored -> backend.stop()).thenCompose(ignored -> {
                ServerSettings next = keepModels ? settings.withModels(new ModelSource.ConfigFile(restartConfig))
                        : settings;
                ui.execute(() -> modelSource.set(next.models()));
                return backend.start(next);
            });
        });
    }

    /** Runs a server operation; the page shows the state it ends in, whatever the outcome. */
    private <T> CompletableFuture<Void> run(String doing, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<Void> shown = operation.run(doing, call, ignored -> "", "");
        refresh();
        return shown.thenRun(this::refresh);
    }

    /** The settings shown, or empty with {@link #settingsErrorProperty()} saying what is wrong. */
    public Optional<ServerSettings> validatedSettings() {
        List<String> problems = new ArrayList<>();
        int rest = port("REST", restPort.get(), problems);
        int grpc = grpcEnabled.get() ? port("gRPC", grpcPort.get(), problems) : ServerSettings.NO_GRPC;
        String hostText = host.get() == null ? "" : host.get().trim();
        if (hostText.isEmpty()) {
            problems.add("The host must not be empty (127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
        }
        if (grpcEnabled.get() && rest == grpc && rest > 0) {
            problems.add("REST and gRPC cannot share port " + rest);
        }
        settingsError.set(String.join("\n", problems));
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServerSettings(hostText, rest, grpc, batching.get(), modelSource.get(), requestLogDir,
                tls));
    }

    private static int port(String what, String text, List<String> problems) {
        try {
            int port = Integer.parseInt(text == null ? "" : text.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("The " + what + " port must be a number from 0 to 65535 (0 picks a free port), not '" + text + "'");
        return -2;
    }

    /** Reads the backend's status into the properties; call on the FX thread (the view ticks it every second). */
    public void refresh() {
        BackendCapabilities managed = backend.capabilities();
        if (!managed.equals(capabilities.get())) {
            capabilities.set(managed);
        }
        ServerStatus status = backend.status();
        state.set(status.state());
        uptime.set(status.running() ? formatDuration(status.uptime(clock.instant())) : "–");
        models.set(Integer.toString(status.models()));
        versions.set(Integer.toString(status.availableVersions()));
        // A server that reports no heap (a plain TensorFlow Serving) shows none rather than "0 MiB / 0 MiB".
        heap.set(status.heapMaxBytes() == 0 ? "–"
                : formatMebibytes(status.heapUsedBytes()) + " / " + formatMebibytes(status.heapMaxBytes()));
        if ((status.state() == ServerStatus.State.FAILED || status.state() == ServerStatus.State.UNREACHABLE)
                && !status.message().isEmpty()) {
            operation.showFailure(status.message());
        }
        List<String> now = new ArrayList<>();
        backend.restBaseUrl().ifPresent(base -> {
            now.add("REST        " + base + "/v1/models/<name>");
            now.add("Prometheus  " + base + "/monitoring/prometheus/metrics");
        });
        if (status.grpcPort().isPresent()) {
            // A remote server has no settings of the console's: its host is the one of its REST address.
            String grpcHost = backend.settings().map(ServerSettings::host).orElseGet(() -> backend.restBaseUrl()
                    .map(base -> java.net.URI.create(base).getHost()).orElse(""));
            now.add("gRPC        " + grpcHost + ":" + status.grpcPort().getAsInt());
        }
        if (!now.equals(endpoints)) {
            endpoints.setAll(now);
        }
    }

    static String formatDuration(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format("%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format("%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
    }

    static String formatMebibytes(long bytes) {
        return (bytes / (1024 * 1024)) + " MiB";
    }

    /** One line for the status bar: REST and gRPC addresses. */
    public String endpointsSummary() {
        ServerStatus status = backend.status();
        if (!status.running()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        backend.restBaseUrl().ifPresent(base -> text.append("REST ").append(base));
        status.grpcPort().ifPresent(port -> text.append("   gRPC :").append(port));
        return text.toString();
    }

    public ReadOnlyObjectProperty<ServerStatus.State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty uptimeProperty() {
        return uptime.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty modelsProperty() {
        return models.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty versionsProperty() {
        return versions.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty heapProperty() {
        return heap.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty failureProperty() {
        return operation.failureProperty();
    }

    public ReadOnlyStringProperty settingsErrorProperty() {
        return settingsError.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return operation.busyProperty();
    }

    public ObservableList<String> endpoints() {
        return endpoints;
    }

    public StringProperty hostProperty() {
        return host;
    }

    public StringProperty restPortProperty() {
        return restPort;
    }

    public StringProperty grpcPortProperty() {
        return grpcPort;
    }

    public BooleanProperty grpcEnabledProperty() {
        return grpcEnabled;
    }

    public BooleanProperty batchingProperty() {
        return batching;
    }

    public ObjectProperty<ModelSource> modelSourceProperty() {
        return modelSource;
    }

    public BooleanBinding canStartProperty() {
        return canStart;
    }

    public BooleanBinding canStopProperty() {
        return canStop;
    }
}
