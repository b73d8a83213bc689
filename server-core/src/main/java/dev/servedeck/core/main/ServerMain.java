package dev.servedeck.core.main;

import dev.servedeck.core.tensorflow.JavaCppPhysicalMemoryCheck;

/**
 * The headless server's entry point: {@code java -jar servedeck-server.jar [tensorflow_model_server flags]}.
 */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) {
        // Our logging setup unless the operator points logback elsewhere; set before the first logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "servedeck-server-logback.xml");
        }
        JulToSlf4j.install();
        JavaCppPhysicalMemoryCheck.switchOffUnlessConfigured();
        int exitCode = ServerCommand.commandLine(new ServerCommand()).execute(args);
        System.exit(exitCode);
    }
}
