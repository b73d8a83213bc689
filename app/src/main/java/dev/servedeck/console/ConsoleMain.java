package dev.servedeck.console;

import dev.servedeck.console.backend.ModelSource;
import dev.servedeck.console.backend.embedded.EmbeddedBackend;
import dev.servedeck.core.main.JulToSlf4j;
import java.util.List;
import javafx.application.Application;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Starts the console. Not an {@link Application} itself: a class-path launch ({@code java -jar}) of a main
 * class that extends Application fails with "JavaFX runtime components are missing".
 *
 * <p>The flags are read here, before JavaFX starts, so {@code --help} and bad flags work without a display.
 */
public final class ConsoleMain {

    private ConsoleMain() {
    }

    public static void main(String[] args) {
        ConsoleOptions options;
        try {
            options = ConsoleOptions.parse(List.of(args));
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            System.err.println(ConsoleOptions.usage());
            System.exit(2);
            return;
        }
        if (options.isHelp()) {
            System.out.println(ConsoleOptions.usage());
            return;
        }
        // Our logging setup unless the operator points logback elsewhere; set before the first logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "servedeck-console-logback.xml");
        }
        if (System.getProperty("servedeck.console.logDir") == null) {
            System.setProperty("servedeck.console.logDir", options.dataDir().resolve("logs").toString());
        }
        JulToSlf4j.install();
        EmbeddedBackend.configureTensorflowRuntime();
        if (options.remoteServer().isEmpty()) {
            prepareDemoModels(options); // no embedded server with --server
        }
        Application.launch(ConsoleApplication.class, args);
    }

    /**
     * Writes missing demo models before JavaFX starts. Writing them runs TensorFlow's graph optimizer, which
     * crashed (SIGSEGV in libLLVM) when it first ran after GTK had loaded Mesa's own libLLVM into the
     * process: on a first start under Xvfb, every time. Run before the toolkit, TensorFlow binds its own.
     */
    private static void prepareDemoModels(ConsoleOptions options) {
        if (options.models() instanceof ModelSource.Demo demo) {
            try {
                EmbeddedBackend.prepareDemoModels(demo.root());
            } catch (RuntimeException e) {
                // The embedded server reports it again, in the window, when it tries to start.
                LoggerFactory.getLogger(ConsoleMain.class).warn("Could not prepare the demo models: {}",
                        e.getMessage());
            }
        }
    }
}
