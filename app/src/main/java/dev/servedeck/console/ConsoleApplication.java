package dev.servedeck.console;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.console.backend.remote.UnmanagedRemoteBackend;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionContext;
import dev.servedeck.console.connections.OsSecretStore;
import dev.servedeck.console.connections.SecretStore;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.preferences.WindowLayout;
import dev.servedeck.console.server.ServerViewModel;
import dev.servedeck.console.shell.Themes;
import dev.servedeck.ui.AppIcon;
import java.nio.file.Files;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop application: opens the main window at once, then starts the embedded server in the
 * background so its progress shows in the window. Remembers the window, the theme, the page, the server
 * settings and the models served between runs.
 */
public final class ConsoleApplication extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApplication.class);
    private static final long LAUNCHED_NANOS = System.nanoTime();

    private ConsoleOptions options;
    private ConsolePreferences preferences;
    private ConsoleBackend backend;
    private ConsoleComposition composition;
    private Stage stage;

    @Override
    public void init() {
        // ConsoleMain has checked the flags already (before JavaFX started, so --help needs no display).
        options = ConsoleOptions.parse(getParameters().getRaw());
    }

    @Override
    public void start(Stage primaryStage) {
        this.stage = primaryStage;
        preferences = ConsolePreferences.userDefault();
        Optional<Connection> remote = options.remoteServer();
        // With --server the console manages that server: no embedded server is made, let alone started.
        backend = remote.<ConsoleBackend>map(server -> new UnmanagedRemoteBackend(server.name(),
                server.address().toString())).orElseGet(EmbeddedBackend::new);
        ConnectionContext connections = remote.map(server -> new ConnectionContext(server, options.remoteToken(),
                (Supplier<SecretStore>) OsSecretStore::open)).orElseGet(ConnectionContext::embedded);
        ServerSettings settings = options.settings(rememberedSettings());
        composition = new ConsoleComposition(backend, preferences, settings, options.dataDir(),
                Themes::apply, connections);

        Themes.apply(preferences.darkTheme());
        stage.setScene(composition.createScene());
        stage.setTitle("ServeDeck");
        for (AppIcon icon : AppIcon.values()) {
            stage.getIcons().add(new Image(icon.url().toExternalForm()));
        }
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        preferences.windowLayout().ifPresent(layout -> {
            stage.setX(layout.x());
            stage.setY(layout.y());
            stage.setWidth(layout.width());
            stage.setHeight(layout.height());
            stage.setMaximized(layout.maximized());
        });
        stage.show();
        LOG.info("Console window shown after {} ms", elapsedMillis());
        if (remote.isPresent()) {
            LOG.info("Managing {} ({}): remote management arrives in a coming version of the console", remote.get().name(),
                    remote.get().address());
            composition.server().refresh();
            if (options.smokeTest) {
                // Nothing to start: the window with the connection's notice is the whole start.
                LOG.info("Smoke test passed: window up, managing {} in {} ms", remote.get().name(), elapsedMillis());
                stage.close();
                composition.close();
                backend.close();
                Runtime.getRuntime().halt(0);
            }
        } else {
            startServer(settings);
        }
    }

    private void startServer(ServerSettings settings) {
        ServerViewModel server = composition.server();
        server.start().thenRun(() -> Platform.runLater(() -> {
            boolean remembered = settings.models() instanceof ModelSource.ConfigFile file
                    && file.file().equals(options.rememberedModels());
            if (!backend.status().running() && remembered) {
                // The last run's models no longer start (a folder moved, a file edited): serve the demo instead.
                LOG.warn("The models of the last run did not start ({}); serving the demo models",
                        backend.status().message());
                server.modelSourceProperty().set(options.demoModels());
                server.start().thenRun(this::afterStart);
            } else {
                afterStart();
            }
        }));
    }

    private void afterStart() {
        LOG.info("Embedded server {} after {} ms", backend.status().state(), elapsedMillis());
        if (options.smokeTest) {
            boolean ok = backend.status().running();
            // The Monitor samples from the start: wait for its first chart point too (it logs the time).
            CompletableFuture<?> firstPoint = ok ? composition.monitor().firstPoint().completeOnTimeout(null, 30,
                    TimeUnit.SECONDS) : CompletableFuture.completedFuture(null);
            firstPoint.thenRun(() -> Platform.runLater(() -> {
                LOG.info("Smoke test {}: window, server and first chart point up in {} ms", ok ? "passed" : "failed",
                        elapsedMillis());
                stage.close();
                composition.close();
                backend.close();
                Runtime.getRuntime().halt(ok ? 0 : 1);
            }));
        }
    }

    private static long elapsedMillis() {
        return (System.nanoTime() - LAUNCHED_NANOS) / 1_000_000;
    }

    private ServerSettings rememberedSettings() {
        return new ServerSettings(
                preferences.get("server.host", ServerSettings.DEFAULT_HOST),
                preferences.getInt("server.restPort", ServerSettings.DEFAULT_REST_PORT),
                preferences.getInt("server.grpcPort", ServerSettings.DEFAULT_GRPC_PORT),
                preferences.getBoolean("server.batching", true),
                options.demoModels(),
                options.dataDir().resolve("logs"));
    }

    @Override
    public void stop() {
        if (composition == null) {
            return;
        }
        if (!options.smokeTest) {
            saveForNextStart();
        }
        composition.close();
        backend.close();
    }

    /** Window, theme and page always; the embedded server's settings and models only when it was the one managed. */
    private void saveForNextStart() {
        preferences.setWindowLayout(new WindowLayout(stage.getX(), stage.getY(), stage.getWidth(),
                stage.getHeight(), stage.isMaximized()));
        if (backend.capabilities().controlsProcess()) {
            composition.server().validatedSettings().ifPresent(settings -> {
                preferences.put("server.host", settings.host());
                preferences.putInt("server.restPort", settings.restPort());
                preferences.putInt("server.grpcPort", settings.grpcPort());
                preferences.putBoolean("server.batching", settings.batching());
            });
        }
        preferences.flush();
        rememberModels();
    }

    /** Saves the models in force, so the next start serves them again. */
    private void rememberModels() {
        if (!backend.status().running()) {
            return;
        }
        try {
            Files.createDirectories(options.rememberedModels().getParent());
            backend.saveModelConfig(options.rememberedModels()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Could not remember the models for the next start: {}", Failures.message(e));
        }
    }
}
