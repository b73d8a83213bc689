package dev.servedeck.console;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.server.ServerView;
import dev.servedeck.console.server.ServerViewModel;
import dev.servedeck.console.shell.MainWindowView;
import dev.servedeck.console.shell.ViewLoader;
import dev.servedeck.ui.Fxml;
import dev.servedeck.ui.Stylesheet;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Scene;

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
    private final ScheduledExecutorService ticker;
    private MainWindowView mainWindow;

    /**
     * @param dataDir the console's folder (saved configs, logs)
     * @param themeSwitch called with true for the dark theme, false for the light one
     */
    public ConsoleComposition(ConsoleBackend backend, ConsolePreferences preferences, ServerSettings settings,
            Path dataDir, Consumer<Boolean> themeSwitch) {
        this.backend = backend;
        this.preferences = preferences;
        Executor ui = Platform::runLater;
        Clock clock = Clock.systemUTC();
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "servedeck-console-ticker");
            thread.setDaemon(true);
            return thread;
        });
        this.server = new ServerViewModel(backend, ui, clock, settings,
                dataDir.resolve("console").resolve("restart-models.config"));

        AtomicReference<ViewLoader> loaderRef = new AtomicReference<>();
        Map<Class<?>, Supplier<?>> controllers = new HashMap<>();
        controllers.put(MainWindowView.class,
                () -> new MainWindowView(loaderRef::get, server, preferences, themeSwitch));
        controllers.put(ServerView.class, () -> new ServerView(server));
        this.loader = new ViewLoader(controllers);
        loaderRef.set(loader);
    }

    /** Builds the main window's scene (on the FX thread) and starts its once-a-second refresh. */
    public Scene createScene() {
        ViewLoader.Loaded<MainWindowView> main = loader.load(Fxml.MAIN_WINDOW);
        mainWindow = main.controller();
        Scene scene = new Scene(main.root());
        scene.getStylesheets().add(Stylesheet.CONSOLE.externalForm());
        mainWindow.installShortcuts(scene);
        ticker.scheduleAtFixedRate(() -> Platform.runLater(mainWindow::tick), 1, 1, TimeUnit.SECONDS);
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
        ticker.shutdownNow();
    }
}
