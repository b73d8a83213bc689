package dev.servedeck.console.fleet;

import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.servable.ManagerState;
import java.util.ArrayList;
import java.util.List;

/**
 * The Fleet page's rules for "something is wrong", in one place with their thresholds (docs/fleet.md lists them):
 * what a row is coloured for and the words that say why.
 */
final class FleetHealth {

    /** Points (seconds) that count as "now" for errors. */
    static final int RECENT_POINTS = 10;
    /** Points before those that count as "before" (a minute). */
    static final int PREVIOUS_POINTS = 60;
    /** Failed calls per second, on average over the recent points, below which errors are noise. */
    static final double MIN_ERRORS_PER_SECOND = 0.1;
    /** Share of calls failed over the recent points below which errors are noise (1%). */
    static final double MIN_ERROR_SHARE = 0.01;
    /** Errors rise when the recent rate exceeds the minute before's by this factor. */
    static final double RISING_FACTOR = 1.2;

    /** The problems of one server, worst first, and the words for the worst. */
    record Assessment(List<FleetProblem> problems, String detail) {
    }

    private FleetHealth() {
    }

    static Assessment assess(ServerStatus status, List<ModelEntry> models, FleetTrend trend) {
        List<FleetProblem> problems = new ArrayList<>();
        List<String> details = new ArrayList<>();
        switch (status.state()) {
            case UNREACHABLE -> add(problems, details, FleetProblem.UNREACHABLE, status.message());
            case FAILED -> add(problems, details, FleetProblem.FAILED, status.message());
            case STOPPED -> add(problems, details, FleetProblem.NOT_READY, "the server is stopped");
            case STARTING, STOPPING -> add(problems, details, FleetProblem.NOT_READY, "the server is "
                    + status.state().name().toLowerCase());
            case RUNNING -> { }
        }
        for (ModelEntry model : models) {
            for (VersionEntry version : model.versions()) {
                if (version.failed()) {
                    add(problems, details, FleetProblem.VERSION_FAILED, model.name() + " version " + version.version()
                            + ": " + version.error());
                }
            }
            boolean available = model.versions().stream().anyMatch(v -> v.state() == ManagerState.AVAILABLE);
            if (status.running() && !available) {
                add(problems, details, FleetProblem.NOT_READY, model.name() + " has no AVAILABLE version");
            }
        }
        errors(trend, problems, details);
        List<FleetProblem> worstFirst = problems.stream().distinct().sorted().toList();
        String detail = worstFirst.isEmpty() ? "" : details.get(problems.indexOf(worstFirst.get(0)));
        return new Assessment(worstFirst, detail);
    }

    private static void errors(FleetTrend trend, List<FleetProblem> problems, List<String> details) {
        double[] errors = trend.errorsPerSecond();
        double[] requests = trend.requestsPerSecond();
        int recentFrom = Math.max(0, errors.length - RECENT_POINTS);
        double recentErrors = mean(errors, recentFrom, errors.length);
        double recentRequests = mean(requests, recentFrom, errors.length);
        if (!(recentErrors >= MIN_ERRORS_PER_SECOND) || recentErrors < MIN_ERROR_SHARE * recentRequests) {
            return; // NaN (no points) counts as no errors
        }
        double before = mean(errors, Math.max(0, recentFrom - PREVIOUS_POINTS), recentFrom);
        boolean rising = Double.isNaN(before) || recentErrors > RISING_FACTOR * before;
        String share = recentRequests > 0 ? String.format(" (%.0f%% of calls)", 100 * recentErrors / recentRequests)
                : "";
        add(problems, details, rising ? FleetProblem.ERRORS_RISING : FleetProblem.ERRORS,
                String.format("%.1f failed calls/s over the last %d s%s", recentErrors, RECENT_POINTS, share)
                        + (rising && !Double.isNaN(before) ? String.format(", %.1f/s the minute before", before) : ""));
    }

    /** The mean of the values in [from, to) that are numbers; NaN when none is. */
    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        int count = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(values[i])) {
                sum += values[i];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static void add(List<FleetProblem> problems, List<String> details, FleetProblem problem, String detail) {
        problems.add(problem);
        details.add(detail);
    }
}
