package dev.servedeck.console.fleet;

import dev.servedeck.console.backend.BackendCapabilities;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.OpenBackends;
import dev.servedeck.core.metrics.StatisticsSample;
import dev.servedeck.core.metrics.StatisticsScope;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One server the Fleet page watches: a lease on its backend (opened in the background) and its trend. {@link #read}
 * runs on the refresh thread and only reads the backend's snapshots (status, models, statistics), which the
 * {@code ConsoleBackend} port keeps cheap and non-blocking for every backend: a slow or gone server shows as such
 * through its status and never holds the page up. Reconnecting is the backend's job.
 */
final class FleetWatch {

    private final Connection connection;
    private final FleetTrend trend;
    private volatile OpenBackends.Lease lease;
    private volatile String openFailure;
    private volatile boolean released;
    /** The statistics step last added to the trend (refresh thread only). */
    private Instant lastStep;

    /** @param trend the server's trend, kept by the page across watches */
    FleetWatch(Connection connection, FleetTrend trend) {
        this.connection = connection;
        this.trend = trend;
    }

    Connection connection() {
        return connection;
    }

    /** The backend is open (on a worker thread); a watch already released gives the lease straight back. */
    void opened(OpenBackends.Lease opened) {
        lease = opened;
        if (released) {
            release();
        }
    }

    void failedToOpen(Throwable error) {
        openFailure = "Cannot open a backend for " + connection.name() + ": " + Failures.message(error);
    }

    /** Stops watching: the backend may close if nobody else holds it (any thread, more than once). */
    void release() {
        released = true;
        OpenBackends.Lease held = lease;
        if (held != null) {
            lease = null;
            held.close();
        }
    }

    /** Reads the server's snapshots into a row and one trend point (refresh thread). */
    FleetReading read(boolean managed) {
        if (openFailure != null) {
            trend.addGap();
            return FleetReading.unknown(connection, managed, openFailure, List.of(FleetProblem.UNREACHABLE), trend);
        }
        OpenBackends.Lease held = lease;
        if (held == null) {
            return FleetReading.unknown(connection, managed, "Connecting…", List.of(), trend);
        }
        try {
            return read(held.backend(), managed);
        } catch (RuntimeException e) {
            // A backend must not throw from its snapshots; if one does, the server is as good as unreachable.
            trend.addGap();
            return FleetReading.unknown(connection, managed, Failures.message(e), List.of(FleetProblem.UNREACHABLE),
                    trend);
        }
    }

    private FleetReading read(ConsoleBackend backend, boolean managed) {
        BackendCapabilities capabilities = backend.capabilities();
        ServerStatus status = backend.status();
        if (capabilities.notice().isPresent() && status.state() == ServerStatus.State.STOPPED) {
            // A backend that cannot read its server yet (a remote one before the remote backend) reports STOPPED
            // with a notice: its state is unknown, not stopped (as the status bar says).
            return FleetReading.unknown(connection, managed, capabilities.notice().get(), List.of(), trend);
        }
        List<ModelEntry> models = status.running() ? backend.models() : List.of();
        Optional<StatisticsSnapshot> statistics = status.running() ? backend.statistics() : Optional.empty();
        StatisticsSample sample = null;
        if (statistics.isPresent()) {
            sample = StatisticsSample.of(StatisticsScope.ALL, statistics.get());
            // One point per statistics step: a server whose step is longer than the tick is not counted twice.
            if (!statistics.get().takenAt().equals(lastStep)) {
                lastStep = statistics.get().takenAt();
                trend.add(sample.requestsPerSecond(), sample.p99Millis(), sample.errorsPerSecond());
            }
        } else {
            trend.addGap();
        }
        FleetHealth.Assessment health = FleetHealth.assess(status, models, trend);
        boolean resident = status.residentBytes() > 0;
        return new FleetReading(connection, managed, Optional.of(status.state()), status.models(),
                status.availableVersions(), sample == null ? Double.NaN : sample.requestsPerSecond(),
                sample == null ? Double.NaN : sample.p99Millis(), sample == null ? Double.NaN : sample.errorsPerSecond(),
                status.cpuCores(), resident ? status.residentBytes() : status.heapUsedBytes(), resident,
                health.problems(), health.detail().isEmpty() ? status.message() : health.detail(),
                trend.requestsPerSecond(), trend.p99Millis());
    }
}
