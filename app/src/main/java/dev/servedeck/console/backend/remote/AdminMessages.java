package dev.servedeck.console.backend.remote;

import com.google.protobuf.Timestamp;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.metrics.BatchingActivity;
import dev.servedeck.core.metrics.ServingStatistics;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.metrics.WindowStatistics;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.status.Code;
import dev.servedeck.proto.admin.v1.Model;
import dev.servedeck.proto.admin.v1.ModelVersion;
import dev.servedeck.proto.admin.v1.ScopeStatistics;
import dev.servedeck.proto.admin.v1.StatisticsUpdate;
import dev.servedeck.proto.admin.v1.VersionPolicy;
import dev.servedeck.proto.admin.v1.VersionState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The admin API's messages as the console's values, the client side of server-core's {@code core.grpc.admin}
 * message classes: the pages read the same records from a remote server as from the embedded one.
 */
final class AdminMessages {

    private AdminMessages() {
    }

    // ---- models ----

    static ModelEntry model(Model model) {
        List<VersionEntry> versions = model.getVersionsList().stream().map(AdminMessages::version).toList();
        return ModelEntry.of(model.getName(), Path.of(model.getBasePath()), policy(model.getPolicy()),
                model.getLabelsMap(), versions);
    }

    static VersionEntry version(ModelVersion version) {
        boolean ok = version.getStatusCode().isEmpty() || version.getStatusCode().equals("OK");
        // The proto puts both an error and what a waiting version waits for in status_message; the code tells which.
        String error = ok ? "" : version.getStatusMessage();
        String note = ok ? version.getStatusMessage() : "";
        return new VersionEntry(version.getVersion(), state(version.getState()), error, note,
                instant(version.getSince()));
    }

    static ManagerState state(VersionState state) {
        return switch (state) {
            case START, VERSION_STATE_UNSPECIFIED, UNRECOGNIZED -> ManagerState.START;
            case LOADING -> ManagerState.LOADING;
            case AVAILABLE -> ManagerState.AVAILABLE;
            case UNLOADING -> ManagerState.UNLOADING;
            case END -> ManagerState.END;
        };
    }

    /** An unset policy is TF Serving's default, the latest version. */
    static ServableVersionPolicy policy(VersionPolicy policy) {
        return switch (policy.getPolicyCase()) {
            case ALL -> new ServableVersionPolicy.All();
            case SPECIFIC -> new ServableVersionPolicy.Specific(new TreeSet<>(policy.getSpecific().getVersionsList()));
            case LATEST -> new ServableVersionPolicy.Latest(Math.max(1, policy.getLatest().getNumVersions()));
            case POLICY_NOT_SET -> new ServableVersionPolicy.Latest(1);
        };
    }

    static VersionPolicy policy(ServableVersionPolicy policy) {
        if (policy instanceof ServableVersionPolicy.Latest latest) {
            return VersionPolicy.newBuilder().setLatest(VersionPolicy.Latest.newBuilder()
                    .setNumVersions(latest.numVersions())).build();
        }
        if (policy instanceof ServableVersionPolicy.Specific specific) {
            return VersionPolicy.newBuilder().setSpecific(VersionPolicy.Specific.newBuilder()
                    .addAllVersions(specific.versions())).build();
        }
        return VersionPolicy.newBuilder().setAll(VersionPolicy.All.getDefaultInstance()).build();
    }

    // ---- events and the request log ----

    /** In the words the embedded backend uses for the same events, so the Logs page reads alike for both. */
    static ServerEvent event(dev.servedeck.proto.admin.v1.ServerEvent event) {
        boolean ok = event.getStatusCode().isEmpty() || event.getStatusCode().equals("OK");
        Instant time = instant(event.getTime());
        return switch (event.getKind()) {
            case VERSION_STATE -> versionEvent(time, event.getModel(), event.getVersion(), state(event.getState()),
                    ok, event.getMessage());
            case CONFIG_APPLIED -> new ServerEvent(time, ServerEvent.Severity.INFO, "server",
                    "Model config applied: " + event.getMessage());
            case CONFIG_REFUSED -> new ServerEvent(time, ServerEvent.Severity.ERROR, "server",
                    "Model config refused (" + event.getStatusCode() + "): " + event.getMessage());
            case BATCHING_CHANGED -> new ServerEvent(time, ServerEvent.Severity.INFO, "server",
                    "Batching parameters applied: " + event.getMessage().strip().replaceAll("\\s+", " "));
            case KIND_UNSPECIFIED, UNRECOGNIZED -> new ServerEvent(time, ok ? ServerEvent.Severity.INFO
                    : ServerEvent.Severity.WARNING, "server", event.getMessage());
        };
    }

    /**
     * The state a version was in when the console connected, as the event that brought it there: the server's event
     * log starts after its first config, so the versions it loaded at start are in the model list only.
     */
    static ServerEvent versionEvent(String model, VersionEntry version) {
        return versionEvent(version.since(), model, version.version(), version.state(), !version.failed(),
                version.failed() ? version.error() : version.note());
    }

    private static ServerEvent versionEvent(Instant time, String model, long version, ManagerState state, boolean ok,
            String message) {
        String what = model + " version " + version;
        return ok
                ? new ServerEvent(time, ServerEvent.Severity.INFO, model + ":" + version,
                        what + " is " + state + (message.isEmpty() ? "" : ": " + message))
                : new ServerEvent(time, ServerEvent.Severity.ERROR, model + ":" + version,
                        what + " " + state + ": " + message);
    }

    static RequestLogEntry requestLogEntry(dev.servedeck.proto.admin.v1.RequestLogEntry entry) {
        return new RequestLogEntry(instant(entry.getTime()), entry.getModel(),
                entry.getVersion() == 0 ? OptionalLong.empty() : OptionalLong.of(entry.getVersion()),
                entry.getSignature(), entry.getApi(), entry.getEntrypoint(), code(entry.getStatusCode()),
                entry.getLatencyMicros(), entry.getRequestBytes(), entry.getResponseBytes(), Optional.empty(),
                Optional.empty());
    }

    private static Code code(String name) {
        try {
            return Code.valueOf(name);
        } catch (IllegalArgumentException unknown) {
            return Code.UNKNOWN;
        }
    }

    // ---- statistics ----

    /**
     * A statistics step as the snapshot the console's charts read. The server sends what
     * {@code core.metrics.StatisticsSample} computed from its snapshot over one step; this rebuilds a one-step
     * window from which {@code StatisticsSample} computes the same numbers again (counts are rates times the step,
     * errors counted under UNKNOWN: the stream sends no codes). The long window is the same step: a remote console
     * sees steps, not the server's minute.
     */
    static StatisticsSnapshot snapshot(StatisticsUpdate update) {
        Duration step = Duration.ofMillis(update.getStepMillis() > 0 ? update.getStepMillis() : 500);
        ServingStatistics overall = null;
        Map<String, ServingStatistics> models = new HashMap<>();
        Map<ServableId, ServingStatistics> versions = new HashMap<>();
        for (ScopeStatistics scope : update.getScopesList()) {
            ServingStatistics statistics = statistics(scope, step);
            if (scope.getModel().isEmpty()) {
                overall = statistics;
            } else if (scope.getVersion() == 0) {
                models.put(scope.getModel(), statistics);
            } else {
                versions.put(new ServableId(scope.getModel(), scope.getVersion()), statistics);
            }
        }
        if (overall == null) {
            WindowStatistics empty = WindowStatistics.empty(step);
            overall = new ServingStatistics(empty, empty);
        }
        Optional<BatchingActivity> batching = Optional.empty();
        if (update.hasBatching()) {
            dev.servedeck.proto.admin.v1.BatchingActivity activity = update.getBatching();
            double seconds = step.toNanos() / 1e9;
            long batches = Math.round(activity.getBatchesPerSecond() * seconds);
            double mean = Double.isNaN(activity.getMeanBatchSize()) ? 0 : activity.getMeanBatchSize();
            batching = Optional.of(new BatchingActivity(step, batches, Math.round(mean * batches),
                    (int) activity.getQueuedTasks(), 0));
        }
        return new StatisticsSnapshot(instant(update.getTakenAt()), overall, models, versions, batching);
    }

    private static ServingStatistics statistics(ScopeStatistics scope, Duration step) {
        double seconds = step.toNanos() / 1e9;
        long requests = Math.round(scope.getRequestsPerSecond() * seconds);
        long errors = Math.round(nanToZero(scope.getErrorsPerSecond()) * seconds);
        WindowStatistics window = new WindowStatistics(step, requests,
                Math.round(scope.getRowsPerSecond() * seconds), scope.getRequestsPerSecond(),
                scope.getRowsPerSecond(), micros(scope.getP50Millis()), micros(scope.getP95Millis()),
                micros(scope.getP99Millis()), micros(scope.getP99Millis()),
                errors > 0 ? Map.of(Code.UNKNOWN, errors) : Map.of());
        return new ServingStatistics(window, window);
    }

    private static long micros(double millis) {
        return Double.isNaN(millis) ? 0 : Math.round(millis * 1000);
    }

    private static double nanToZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
