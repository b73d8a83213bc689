package dev.servedeck.core.loadgen.cli;

/**
 * {@code servedeck-bench}'s entry point, also reached as {@code java -jar servedeck-server.jar bench ...}.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        // Warnings only: the table is the output. Set before the first logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "servedeck-server-logback.xml");
        }
        if (System.getProperty("servedeck.log.level") == null) {
            System.setProperty("servedeck.log.level", "WARN");
        }
        System.exit(BenchCommand.commandLine().execute(args));
    }
}
