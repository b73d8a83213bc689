package dev.servedeck.core.main;

import dev.servedeck.core.batching.tuning.cli.TuneMain;
import dev.servedeck.core.loadgen.cli.BenchMain;
import dev.servedeck.core.tensorflow.JavaCppPhysicalMemoryCheck;
import java.util.Arrays;

/**
 * The headless server's entry point: {@code java -jar servedeck-server.jar [tensorflow_model_server flags]}, and
 * {@code java -jar servedeck-server.jar bench [servedeck-bench flags]} for the load generator, and
 * {@code java -jar servedeck-server.jar tune [flags]} for the batching tuner.
 */
public final class ServerMain {

    private ServerMain() {
    }

    /** The first argument that runs the load generator instead (no tensorflow_model_server flag starts so). */
    static final String BENCH = "bench";
    /** The first argument that runs the batching tuner instead. */
    static final String TUNE = "tune";

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(BENCH)) {
            BenchMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals(TUNE)) {
            TuneMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
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
