package dev.servedeck.core.batching.tuning.cli;

/** {@code java -jar servedeck-server.jar tune ...}: the batching tuner from the command line. */
public final class TuneMain {

    private TuneMain() {
    }

    public static void main(String[] args) {
        // Warnings only: the steps are the output. Set before the first logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "servedeck-server-logback.xml");
        }
        if (System.getProperty("servedeck.log.level") == null) {
            System.setProperty("servedeck.log.level", "WARN");
        }
        System.exit(TuneCommand.commandLine().execute(args));
    }
}
