package dev.servedeck.console.fleet;

/**
 * What can be wrong with a server on the Fleet page, worst first, with how loudly its row says so. The thresholds
 * are {@link FleetHealth}'s.
 */
public enum FleetProblem {
    /** The console cannot reach it (or cannot even open a backend for it). */
    UNREACHABLE("unreachable", Severity.ERROR),
    /** The server process failed (its start, or it died). */
    FAILED("failed", Severity.ERROR),
    /** A version failed to load (it ended with an error). */
    VERSION_FAILED("a version failed to load", Severity.ERROR),
    /** The server is not serving (stopped, starting, stopping) or a model has no AVAILABLE version. */
    NOT_READY("not ready", Severity.WARNING),
    /** Failed calls over the last ten seconds, more than over the minute before. */
    ERRORS_RISING("errors rising", Severity.WARNING),
    /** Failed calls over the last ten seconds, no more than before. */
    ERRORS("errors", Severity.WARNING);

    /** How a row shows its worst problem: red or amber. */
    public enum Severity { ERROR, WARNING }

    private final String words;
    private final Severity severity;

    FleetProblem(String words, Severity severity) {
        this.words = words;
        this.severity = severity;
    }

    public String words() {
        return words;
    }

    public Severity severity() {
        return severity;
    }
}
