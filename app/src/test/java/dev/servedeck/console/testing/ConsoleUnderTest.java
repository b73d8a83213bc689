package dev.servedeck.console.testing;

import dev.servedeck.console.ConsoleComposition;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionContext;
import dev.servedeck.console.connections.SessionSecretStore;
import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.shell.Themes;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real console for GUI tests: the same composition the application builds, a real embedded server on
 * free ports of 127.0.0.1 serving real SavedModels (or, {@link #openRemote}, a {@link RemoteTestServer} in
 * another process managed over the admin API), and a throwaway preferences node.
 */
public final class ConsoleUnderTest implements AutoCloseable {

    private final EmbeddedBackend embedded = new EmbeddedBackend();
    private final Preferences node = Preferences.userRoot().node("/dev/servedeck/test/" + UUID.randomUUID());
    private final ConsoleComposition composition;
    private final Scene scene;

    private final Stage stage;
    private Optional<Path> resetConfig = Optional.empty();

    private ConsoleUnderTest(Stage stage, ModelSource models, Path dataDir) {
        this(stage, models, dataDir, Connection.EMBEDDED, Optional.empty());
    }

    /**
     * @param managed the server the console manages first: the embedded one, or a remote one whose backend the
     *     application's own factory makes (connections.ConnectionBackends, with {@code token}), as with --server
     */
    private ConsoleUnderTest(Stage stage, ModelSource models, Path dataDir, Connection managed,
            Optional<String> token) {
        this.stage = stage;
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, 0, true, models, dataDir.resolve("logs"));
        Themes.apply(false);
        // Secrets in memory: a test must not write to the developer's keyring.
        composition = new ConsoleComposition(embedded, new ConsolePreferences(node), settings, dataDir, Themes::apply,
                new ConnectionContext(managed, token,
                        () -> new SessionSecretStore("GUI tests keep secrets in memory")));
        scene = composition.createScene();
        stage.setScene(scene);
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    /** Opens the console on {@code stage} (call from TestFX's {@code @Start}) serving the demo models. */
    public static ConsoleUnderTest openWithDemoModels(Stage stage, Path dataDir) {
        return new ConsoleUnderTest(stage, new ModelSource.Demo(TestModels.demoRoot()), dataDir);
    }

    /**
     * Opens the console on {@code stage} managing {@code server} (in another process) with {@code token}, as
     * {@code --server} does; {@link #startServer()} connects.
     */
    public static ConsoleUnderTest openRemote(Stage stage, RemoteTestServer server, String token, Path dataDir) {
        return new ConsoleUnderTest(stage, new ModelSource.Demo(TestModels.demoRoot()), dataDir, server.connection(),
                Optional.of(token));
    }

    /** With a remote server shared by a class's tests: {@link #startServer()} applies {@code config} again. */
    public ConsoleUnderTest resettingModelsTo(Path config) {
        resetConfig = Optional.of(config);
        return this;
    }

    public static ConsoleUnderTest open(Stage stage, ModelSource models, Path dataDir) {
        return new ConsoleUnderTest(stage, models, dataDir);
    }

    /** Starts the embedded server (or connects to the remote one) as the application does, and waits until it serves. */
    public ConsoleUnderTest startServer() throws Exception {
        // ViewModels live on the FX thread: start there, as the Start button does, and wait here.
        WaitForAsyncUtils.asyncFx(() -> composition.server().start()).get().get(2, TimeUnit.MINUTES);
        if (!backend().status().running()) {
            throw new IllegalStateException("The server did not start: " + backend().status().message());
        }
        if (resetConfig.isPresent()) {
            // A remote server lives for the whole class: each test starts from its first models, as with a new
            // embedded server.
            backend().openModelConfig(resetConfig.get()).get(2, TimeUnit.MINUTES);
        }
        return this;
    }

    /**
     * Saves a snapshot of the console's scene (call on the FX thread) as {@code name}, or {@code remote-name} when it
     * manages a remote server, so both runs of a page test keep their picture.
     */
    public Path screenshot(String name) {
        return Screenshots.save(scene, backend().capabilities().controlsProcess() ? name : "remote-" + name);
    }

    public ConsoleComposition composition() {
        return composition;
    }

    /** The backend of the server the console manages (the one every page talks to). */
    public ConsoleBackend backend() {
        return composition.backend();
    }

    public Scene scene() {
        return scene;
    }

    @Override
    public void close() throws Exception {
        // Popups the test opened (tooltips, menus, combo lists) must not outlive it: TestFX's lookups walk
        // every window, and a closing one can hand the next test a node without a scene.
        WaitForAsyncUtils.asyncFx(() -> new java.util.ArrayList<>(javafx.stage.Window.getWindows()).stream()
                .filter(window -> window != stage)
                .forEach(javafx.stage.Window::hide)).get(10, TimeUnit.SECONDS);
        composition.close();
        embedded.close();
        node.removeNode();
    }
}
