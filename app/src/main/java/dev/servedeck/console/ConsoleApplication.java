package dev.servedeck.console;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionBackends;
import dev.servedeck.console.connections.ConnectionContext;
import dev.servedeck.console.connections.OsSecretStore;
import dev.servedeck.console.connections.SecretStore;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.preferences.WindowLayout;
import dev.servedeck.console.server.ServerViewModel;
import dev.servedeck.console.shell.Page;
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
    /** The console's own server: made at start, or on first use when the console started on a remote server. */
    private EmbeddedBackend embedded;
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
        // With --server the console manages that server: the embedded server is made only if the operator opens it,
        // and started only if they start it.
        ConnectionContext connections = remote.map(server -> new ConnectionContext(server, options.remoteToken(),
                options.remoteClientKey(), (Supplier<SecretStore>) OsSecretStore::open))
                .orElseGet(ConnectionContext::embedded);
        ServerSettings settings = options.settings(rememberedSettings());
        composition = new ConsoleComposition(new ConnectionBackends(this::embedded, connections), preferences,
                settings, options.dataDir(), Themes::apply, connections);

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
            LOG.info("Managing {} ({}, admin API on port {})", remote.get().name(), remote.get().address(),
                    remote.get().adminPort());
            // Connecting is the remote server's start: the backend retries by itself if this first try fails.
            composition.backend().start(settings).whenComplete((status, failure) -> Platform.runLater(() -> {
                composition.server().refresh();
                if (failure != null) {
                    LOG.warn("{}", Failures.message(failure));
                }
                if (options.smokeTest) {
                    smokeTestRemote(remote.get(), failure == null);
                }
            }));
        } else {
            startServer(settings);
        }
    }

    private synchronized EmbeddedBackend embedded() {
        if (embedded == null) {
            embedded = new EmbeddedBackend();
        }
        return embedded;
    }

    /** The embedded backend if the console has made one (it may run while another server is managed). */
    private synchronized Optional<EmbeddedBackend> embeddedIfMade() {
        return Optional.ofNullable(embedded);
    }

    private void startServer(ServerSettings settings) {
        ServerViewModel server = composition.server();
        server.start().thenRun(() -> Platform.runLater(() -> {
            boolean remembered = settings.models() instanceof ModelSource.ConfigFile file
                    && file.file().equals(options.rememberedModels());
            if (!embedded().status().running() && remembered) {
                // The last run's models no longer start (a folder moved, a file edited): serve the demo instead.
                LOG.warn("The models of the last run did not start ({}); serving the demo models",
                        embedded().status().message());
                server.modelSourceProperty().set(options.demoModels());
                server.start().thenRun(this::afterStart);
            } else {
                afterStart();
            }
        }));
    }

    private void afterStart() {
        LOG.info("Embedded server {} after {} ms", embedded().status().state(), elapsedMillis());
        if (options.smokeTest) {
            boolean ok = embedded().status().running();
            // The Monitor samples from the start: wait for its first chart point too (it logs the time).
            CompletableFuture<?> firstPoint = ok ? composition.monitor().firstPoint().completeOnTimeout(null, 30,
                    TimeUnit.SECONDS) : CompletableFuture.completedFuture(null);
            firstPoint.thenRun(() -> Platform.runLater(() -> {
                LOG.info("Smoke test {}: window, server and first chart point up in {} ms", ok ? "passed" : "failed",
                        elapsedMillis());
                stage.close();
                composition.close();
                closeEmbedded();
                Runtime.getRuntime().halt(ok ? 0 : 1);
            }));
        }
    }

    /** Opens every page against the remote server, then waits for a chart point fed by its statistics stream. */
    private void smokeTestRemote(Connection server, boolean connected) {
        for (Page page : Page.values()) {
            composition.mainWindow().show(page);
        }
        CompletableFuture<?> firstPoint = connected ? composition.monitor().firstPoint().completeOnTimeout(null, 30,
                TimeUnit.SECONDS) : CompletableFuture.completedFuture(null);
        firstPoint.thenRun(() -> Platform.runLater(() -> {
            ConsoleBackend managed = composition.backend();
            boolean ok = connected && managed.status().running() && !managed.models().isEmpty();
            LOG.info("Smoke test {}: window up, every page opened, managing {} ({} models) in {} ms",
                    ok ? "passed" : "failed", server.name(), managed.models().size(), elapsedMillis());
            stage.close();
            composition.close();
            closeEmbedded();
            Runtime.getRuntime().halt(ok ? 0 : 1);
        }));
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
        closeEmbedded();
    }

    private void closeEmbedded() {
        embeddedIfMade().ifPresent(EmbeddedBackend::close);
    }

    /** Window, theme and page always; the embedded server's settings and models when the console made it. */
    private void saveForNextStart() {
        preferences.setWindowLayout(new WindowLayout(stage.getX(), stage.getY(), stage.getWidth(),
                stage.getHeight(), stage.isMaximized()));
        if (embeddedIfMade().isPresent()) {
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
        Optional<EmbeddedBackend> server = embeddedIfMade().filter(made -> made.status().running());
        if (server.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(options.rememberedModels().getParent());
            server.get().saveModelConfig(options.rememberedModels()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Could not remember the models for the next start: {}", Failures.message(e));
        }
    }
}
