package dev.servedeck.console;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.connections.ConnectionCheck;
import dev.servedeck.console.connections.ConnectionContext;
import dev.servedeck.console.connections.ConnectionStore;
import dev.servedeck.console.connections.ConnectionsView;
import dev.servedeck.console.connections.ConnectionsViewModel;
import dev.servedeck.console.connections.SecretStore;
import dev.servedeck.console.kit.RefreshScheduler;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.models.ModelsView;
import dev.servedeck.console.models.ModelsViewModel;
import dev.servedeck.console.batching.BatchingView;
import dev.servedeck.console.batching.BatchingViewModel;
import dev.servedeck.console.predict.PredictView;
import dev.servedeck.console.predict.PredictViewModel;
import dev.servedeck.console.monitor.MonitorView;
import dev.servedeck.console.monitor.MonitorViewModel;
import dev.servedeck.console.logs.LogsView;
import dev.servedeck.console.logs.LogsViewModel;
import dev.servedeck.console.server.ServerView;
import dev.servedeck.console.server.ServerViewModel;
import dev.servedeck.console.shell.MainWindowView;
import dev.servedeck.console.shell.ViewLoader;
import dev.servedeck.ui.Fxml;
import dev.servedeck.ui.Stylesheet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Scene;
import org.slf4j.LoggerFactory;

/**
 * Wires the console by hand: every ViewModel gets the backend and the FX executor through its
 * constructor, every view its ViewModel through the controller factory. The application and the GUI tests
 * build the same object graph through this class, so tests drive exactly what users run.
 */
public final class ConsoleComposition implements AutoCloseable {

    private final ConsoleBackend backend;
    private final ConsolePreferences preferences;
    private final ServerViewModel server;
    private final ViewLoader loader;
    /** The one clock of periodic work: status bar, Batching numbers, Monitor sampling, Logs drain. */
    private final RefreshScheduler refresh;
    /** What the pages started (samplers, subscriptions), closed with the console. */
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private MainWindowView mainWindow;

    /**
     * @param dataDir the console's folder (saved configs, logs)
     * @param themeSwitch called with true for the dark theme, false for the light one
     */
    public ConsoleComposition(ConsoleBackend backend, ConsolePreferences preferences, ServerSettings settings,
            Path dataDir, Consumer<Boolean> themeSwitch) {
        this(backend, preferences, settings, dataDir, themeSwitch, ConnectionContext.embedded());
    }

    /** @param connections which server the console manages and where tokens and keys go */
    public ConsoleComposition(ConsoleBackend backend, ConsolePreferences preferences, ServerSettings settings,
            Path dataDir, Consumer<Boolean> themeSwitch, ConnectionContext connections) {
        this.backend = backend;
        this.preferences = preferences;
        Executor ui = Platform::runLater;
        Clock clock = Clock.systemUTC();
        this.refresh = new RefreshScheduler(ui);
        this.server = new ServerViewModel(backend, ui, clock, settings,
                dataDir.resolve("console").resolve("restart-models.config"));

        AtomicReference<ViewLoader> loaderRef = new AtomicReference<>();
        Map<Class<?>, Supplier<?>> controllers = new HashMap<>();
        controllers.put(MainWindowView.class,
                () -> new MainWindowView(loaderRef::get, server, preferences, themeSwitch));
        controllers.put(ServerView.class, () -> new ServerView(server));
        registerModelsPage(controllers, ui, clock);
        registerBatchingPage(controllers, ui, clock);
        registerPredictPage(controllers, ui, clock);
        registerMonitorPage(controllers, ui, clock);
        registerLogsPage(controllers, ui, clock);
        registerConnectionsPage(controllers, ui, connections);
        this.loader = new ViewLoader(controllers);
        loaderRef.set(loader);
    }

    // ---- Models page ----

    private void registerModelsPage(Map<Class<?>, Supplier<?>> controllers, Executor ui, Clock clock) {
        ModelsViewModel viewModel = new ModelsViewModel(backend, ui);
        closeables.add(viewModel);
        controllers.put(ModelsView.class, () -> new ModelsView(viewModel));
    }


    // ---- Batching page ----

    private void registerBatchingPage(Map<Class<?>, Supplier<?>> controllers, Executor ui, Clock clock) {
        BatchingViewModel viewModel = new BatchingViewModel(backend, ui);
        controllers.put(BatchingView.class, () -> new BatchingView(viewModel));
        // The live batching numbers and the parameters in force, once a second (cheap snapshot reads).
        closeables.add(refresh.everyOnFx(Duration.ofSeconds(1), viewModel::refresh));
    }


    // ---- Predict page ----

    private void registerPredictPage(Map<Class<?>, Supplier<?>> controllers, Executor ui, Clock clock) {
        PredictViewModel viewModel = new PredictViewModel(backend, ui, clock);
        closeables.add(viewModel);
        controllers.put(PredictView.class, () -> new PredictView(viewModel));
    }


    // ---- Monitor page ----

    private MonitorViewModel monitor;

    private void registerMonitorPage(Map<Class<?>, Supplier<?>> controllers, Executor ui, Clock clock) {
        long composedNanos = System.nanoTime();
        dev.servedeck.console.monitor.StatisticsSampler sampler = new dev.servedeck.console.monitor.StatisticsSampler(
                backend::statistics, ui, MonitorViewModel.SAMPLE_PERIOD);
        MonitorViewModel viewModel = new MonitorViewModel(backend, ui, refresh.executor(),
                clock.withZone(java.time.ZoneId.systemDefault()), composedNanos);
        // Sampling starts with the console, not with the page: the history is there when the page opens.
        sampler.start(refresh, viewModel::onSnapshot);
        closeables.add(sampler);
        closeables.add(viewModel);
        monitor = viewModel;
        controllers.put(MonitorView.class, () -> new MonitorView(viewModel));
    }

    /** The Monitor's ViewModel: the smoke test waits for its first chart point; GUI tests export through it. */
    public MonitorViewModel monitor() {
        return monitor;
    }


    // ---- Logs page ----

    private void registerLogsPage(Map<Class<?>, Supplier<?>> controllers, Executor ui, Clock clock) {
        LogsViewModel viewModel = new LogsViewModel(backend, ui);
        controllers.put(LogsView.class, () -> new LogsView(viewModel));
        closeables.add(viewModel);
        // Server threads only queue log lines; they reach the FX thread in one batch at most 5 times a second.
        closeables.add(refresh.every(LogsViewModel.DRAIN_PERIOD, viewModel::drain));
    }

    // ---- Connections page ----

    private void registerConnectionsPage(Map<Class<?>, Supplier<?>> controllers, Executor ui,
            ConnectionContext connections) {
        // Secret store calls, preference writes and connection checks may block: never on the FX or refresh thread.
        ExecutorService work = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "servedeck-console-connections");
            thread.setDaemon(true);
            return thread;
        });
        closeables.add(work::shutdownNow);
        CompletableFuture<SecretStore> secrets = CompletableFuture.supplyAsync(connections.secrets(), work);
        ConnectionsViewModel viewModel = new ConnectionsViewModel(new ConnectionStore(preferences.connectionsNode()),
                secrets, new ConnectionCheck(work), connections.active(), connections.activeToken(), ui, work);
        controllers.put(ConnectionsView.class, () -> new ConnectionsView(viewModel));
    }

    /** Builds the main window's scene (on the FX thread) and starts its once-a-second refresh. */
    public Scene createScene() {
        ViewLoader.Loaded<MainWindowView> main = loader.load(Fxml.MAIN_WINDOW);
        mainWindow = main.controller();
        Scene scene = new Scene(main.root());
        scene.getStylesheets().add(Stylesheet.CONSOLE.externalForm());
        mainWindow.installShortcuts(scene);
        closeables.add(refresh.everyOnFx(Duration.ofSeconds(1), mainWindow::tick));
        return scene;
    }

    public MainWindowView mainWindow() {
        return mainWindow;
    }

    public ServerViewModel server() {
        return server;
    }

    public ConsoleBackend backend() {
        return backend;
    }

    public ConsolePreferences preferences() {
        return preferences;
    }

    /** Stops the tickers (the backend belongs to whoever made it). */
    @Override
    public void close() {
        refresh.close();
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(ConsoleComposition.class).debug("Closing {} failed", closeable, e);
            }
        }
    }
}
