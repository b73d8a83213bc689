package dev.servedeck.console.fleet;

import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.connections.Connection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one row of the Fleet page shows at one moment. Immutable: the refresh thread builds it, the FX thread shows it.
 *
 * @param state the server's state; empty while the console cannot tell (opening its backend, not watched, a remote
 *        server before the remote backend)
 * @param requestsPerSecond calls per second over the server's last statistics step (NaN: no statistics)
 * @param p99Millis the step's 99th percentile latency (NaN: no calls)
 * @param errorsPerSecond failed calls per second over the step
 * @param cpuCores CPU of the server's process, 1.0 per busy core (NaN: unknown)
 * @param memoryBytes the server process's resident memory, else its heap in use (see {@code memoryIsResident})
 * @param problems what is wrong, worst first (empty: all well)
 * @param detail the words for the worst problem, or what the console knows ("Connecting…")
 * @param requestTrend requests per second over the last minutes, oldest first (NaN: gap)
 * @param p99Trend p99 in milliseconds over the last minutes, oldest first
 */
public record FleetReading(Connection connection, boolean managed, Optional<ServerStatus.State> state, int models,
        int availableVersions, double requestsPerSecond, double p99Millis, double errorsPerSecond, double cpuCores,
        long memoryBytes, boolean memoryIsResident, List<FleetProblem> problems, String detail, double[] requestTrend,
        double[] p99Trend) {

    public FleetReading {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(state, "state");
        problems = List.copyOf(problems);
        Objects.requireNonNull(detail, "detail");
    }

    /** A row with nothing read yet: {@code detail} says why. */
    static FleetReading unknown(Connection connection, boolean managed, String detail, List<FleetProblem> problems,
            FleetTrend trend) {
        return new FleetReading(connection, managed, Optional.empty(), 0, 0, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, 0, false, problems, detail, trend.requestsPerSecond(), trend.p99Millis());
    }

    /** The worst problem, if any. */
    public Optional<FleetProblem> worst() {
        return problems.isEmpty() ? Optional.empty() : Optional.of(problems.get(0));
    }

    /** The problems in words, worst first ("a version failed to load, errors rising"); empty when all is well. */
    public String problemsText() {
        return String.join(", ", problems.stream().map(FleetProblem::words).toList());
    }
}
