package dev.servedeck.console;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.connections.ActiveServer;
import dev.servedeck.console.connections.BackendFactory;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionBackends;
import dev.servedeck.console.connections.ConnectionCheck;
import dev.servedeck.console.connections.ConnectionContext;
import dev.servedeck.console.connections.ConnectionStore;
import dev.servedeck.console.connections.ConnectionsView;
import dev.servedeck.console.connections.ConnectionsViewModel;
import dev.servedeck.console.connections.OpenBackends;
import dev.servedeck.console.connections.SecretStore;
import dev.servedeck.console.fleet.FleetView;
import dev.servedeck.console.fleet.FleetViewModel;
import dev.servedeck.console.kit.RefreshScheduler;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.models.ModelsView;
import dev.servedeck.console.models.ModelsViewModel;
import dev.servedeck.console.batching.BatchingView;
import dev.servedeck.console.batching.FindParametersView;
import dev.servedeck.console.batching.FindParametersViewModel;
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
import java.util.Optional;
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
 *
 * <p>The backend every page holds is the {@link ActiveServer}'s: it follows the server the console manages, which
 * the operator may change while the console runs (Connections page, Fleet page) without a page re-wiring itself.
 */
public final class ConsoleComposition implements AutoCloseable {

    private final ConsoleBackend backend;
    private final ConsolePreferences preferences;
    private final ServerViewModel server;
    private final ViewLoader loader;
    /** The one clock of periodic work: status bar, Batching numbers, Monitor sampling, Logs drain, Fleet. */
    private final RefreshScheduler refresh;
    /** The backends open now (the managed server's, the watched ones), shared by the pages. */
    private final OpenBackends openBackends;
    private final ActiveServer activeServer;
    /** Secret store calls, preference writes, connection checks, opening backends: never on the FX or refresh thread. */
    private final ExecutorService work = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "servedeck-console-connections");
        thread.setDaemon(true);
        return thread;
    });
    /** What the pages started (samplers, subscriptions), closed with the console. */
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private MainWindowView mainWindow;

    /**
     * The console on its embedded server.
     *
     * @param embedded the embedded server's backend (its maker closes it)
     * @param dataDir the console's folder (saved configs, logs)
     * @param themeSwitch called with true for the dark theme, false for the light one
     */
    public ConsoleComposition(ConsoleBackend embedded, ConsolePreferences preferences, ServerSettings settings,
            Path dataDir, Consumer<Boolean> themeSwitch) {
        this(embedded, preferences, settings, dataDir, themeSwitch, ConnectionContext.embedded());
    }

    /** @param connections which server the console manages first and where tokens and keys go */
    public ConsoleComposition(ConsoleBackend embedded, ConsolePreferences preferences, ServerSettings settings,
            Path dataDir, Consumer<Boolean> themeSwitch, ConnectionContext connections) {
        this(new ConnectionBackends(() -> embedded, connections), preferences, settings, dataDir, themeSwitch,
                connections);
    }

    /**
     * @param backends makes the backend of each server the console opens (the first one at once, here)
     * @param connections which server the console manages first and where tokens and keys go
     */
    public ConsoleComposition(BackendFactory backends, ConsolePreferences preferences, ServerSettings settings,
            Path dataDir, Consumer<Boolean> themeSwitch, ConnectionContext connections) {
        this.preferences = preferences;
        this.openBackends = new OpenBackends(backends);
        this.activeServer = new ActiveServer(openBackends, connections.active());
        this.backend = activeServer.backend();
        closeables.add(work::shutdownNow);
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
        registerBatchingPage(controllers, ui, clock, loaderRef);
        registerPredictPage(controllers, ui, clock);
        registerMonitorPage(controllers, ui, clock);
        registerLogsPage(controllers, ui, clock);
        registerConnectionsPage(controllers, ui, connections);
        registerFleetPage(controllers, ui, connections);
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

    private FindParametersViewModel findParameters;

    /** The Batching page's "Find parameters" (tests drive it). */
    public FindParametersViewModel findParameters() {
        return findParameters;
    }

    private void registerBatchingPage(Map<Class<?>, Supplier<?>> controllers, Executor ui, Clock clock,
            AtomicReference<ViewLoader> loaderRef) {
        BatchingViewModel viewModel = new BatchingViewModel(backend, ui);
        FindParametersViewModel find = new FindParametersViewModel(backend, ui, clock);
        findParameters = find;
        closeables.add(find);
        controllers.put(FindParametersView.class, () -> new FindParametersView(find));
        controllers.put(BatchingView.class, () -> new BatchingView(viewModel,
                () -> loaderRef.get().load(Fxml.FIND_PARAMETERS).root()));
        // The live batching numbers and the parameters in force, once a second (cheap snapshot reads).
        closeables.add(refresh.everyOnFx(Duration.ofSeconds(1), viewModel::refresh));
        // The tuner's level running: one engine snapshot per tick, as the Monitor's load generator.
        closeables.add(refresh.everyOnFx(Duration.ofMillis(500), find::refreshProgress));
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
        CompletableFuture<SecretStore> secrets = CompletableFuture.supplyAsync(connections.secrets(), work);
        ConnectionsViewModel viewModel = new ConnectionsViewModel(new ConnectionStore(preferences.connectionsNode()),
                secrets, new ConnectionCheck(work), connections.active(), connections.activeToken(), activeServer, ui,
                work);
        controllers.put(ConnectionsView.class, () -> new ConnectionsView(viewModel));
    }

    // ---- Fleet page ----

    private FleetViewModel fleet;

    private void registerFleetPage(Map<Class<?>, Supplier<?>> controllers, Executor ui,
            ConnectionContext connections) {
        Optional<Connection> commandLine = Optional.of(connections.active()).filter(active -> !active.isEmbedded());
        FleetViewModel viewModel = new FleetViewModel(new ConnectionStore(preferences.connectionsNode()), commandLine,
                openBackends, activeServer, ui, work);
        // Reads snapshots only (cheap for every backend), and nothing at all while the page is hidden.
        closeables.add(refresh.every(FleetViewModel.TICK, viewModel::sample));
        closeables.add(() -> viewModel.setShown(false));
        fleet = viewModel;
        controllers.put(FleetView.class, () -> new FleetView(viewModel));
    }

    /** The Fleet page's ViewModel, for tests. */
    public FleetViewModel fleet() {
        return fleet;
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

    /** What the pages talk to: the server managed now, whichever it is. */
    public ConsoleBackend backend() {
        return backend;
    }

    /** The server managed now, and switching to another. */
    public ActiveServer activeServer() {
        return activeServer;
    }

    public ConsolePreferences preferences() {
        return preferences;
    }

    /**
     * Stops the tickers and closes the remote backends the console opened (the embedded backend belongs to whoever
     * made it).
     */
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
        activeServer.close();
        openBackends.close();
    }
}
