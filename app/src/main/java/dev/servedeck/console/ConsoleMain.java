package dev.servedeck.console;

import java.util.List;
import javafx.application.Application;
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
        // On Linux, JavaFX's hardware pipeline loads Mesa, whose libLLVM clashes with the LLVM inside
        // TensorFlow's natives (the first start crashed in libLLVM under Xvfb, 4 of 4 times). The software
        // pipeline draws the console's charts in 1-2 ms per tick, so it costs nothing that shows.
        if (System.getProperty("prism.order") == null && System.getProperty("os.name", "").startsWith("Linux")) {
            System.setProperty("prism.order", "sw");
        }
        Application.launch(ConsoleApplication.class, args);
    }
}
