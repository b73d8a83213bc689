package dev.servedeck.console;

import java.nio.file.Path;
import javafx.application.Application;

/**
 * Starts the console. Not an {@link Application} itself: a class-path launch ({@code java -jar}) of a main
 * class that extends Application fails with "JavaFX runtime components are missing".
 */
public final class ConsoleMain {

    private ConsoleMain() {
    }

    public static void main(String[] args) {
        // Our logging setup unless the operator points logback elsewhere; set before the first logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "servedeck-console-logback.xml");
        }
        if (System.getProperty("servedeck.console.logDir") == null) {
            System.setProperty("servedeck.console.logDir",
                    Path.of(System.getProperty("user.home"), ".servedeck", "logs").toString());
        }
        Application.launch(ConsoleApplication.class, args);
    }
}
