package dev.servedeck.console.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.Timestamp;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.metrics.StatisticsSample;
import dev.servedeck.core.metrics.StatisticsScope;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.proto.admin.v1.BatchingActivity;
import dev.servedeck.proto.admin.v1.Model;
import dev.servedeck.proto.admin.v1.ModelVersion;
import dev.servedeck.proto.admin.v1.ScopeStatistics;
import dev.servedeck.proto.admin.v1.StatisticsUpdate;
import dev.servedeck.proto.admin.v1.VersionPolicy;
import dev.servedeck.proto.admin.v1.VersionState;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The admin API's messages read back as the console's values: what the pages show for a remote server. */
class AdminMessagesTest {

    private static final Timestamp T = Timestamp.newBuilder().setSeconds(1_800_000_000L).setNanos(5_000_000).build();

    @Test
    void aStatisticsStepGivesTheChartsTheNumbersTheServerComputed() {
        ScopeStatistics all = scope("", 0, 120, 360, 1.5, 3.2, 4.8, 2, 1.6666);
        ScopeStatistics mlp = scope("mlp", 0, 80, 80, 2.0, 4.0, 6.0, 0, 0);
        ScopeStatistics mlpOne = scope("mlp", 1, 80, 80, 2.0, 4.0, 6.0, 0, 0);
        ScopeStatistics idle = ScopeStatistics.newBuilder().setModel("half_plus_two").setP50Millis(Double.NaN)
                .setP95Millis(Double.NaN).setP99Millis(Double.NaN).setErrorPercent(Double.NaN).build();
        StatisticsUpdate update = StatisticsUpdate.newBuilder().setSequence(7).setTakenAt(T).setStepMillis(500)
                .addAllScopes(List.of(all, idle, mlp, mlpOne))
                .setBatching(BatchingActivity.newBuilder().setMeanBatchSize(4).setBatchesPerSecond(30)
                        .setQueuedTasks(3))
                .build();

        StatisticsSnapshot snapshot = AdminMessages.snapshot(update);

        assertThat(snapshot.takenAt()).isEqualTo(Instant.ofEpochSecond(1_800_000_000L, 5_000_000));
        StatisticsSample overall = StatisticsSample.of(StatisticsScope.ALL, snapshot);
        assertThat(overall.requestsPerSecond()).isEqualTo(120);
        assertThat(overall.rowsPerSecond()).isEqualTo(360);
        assertThat(overall.p50Millis()).isEqualTo(1.5);
        assertThat(overall.p95Millis()).isEqualTo(3.2);
        assertThat(overall.p99Millis()).isEqualTo(4.8);
        assertThat(overall.errorsPerSecond()).isEqualTo(2);
        assertThat(overall.errorPercent()).isCloseTo(100.0 * 1 / 60, within(1e-9));
        assertThat(overall.meanBatchSize()).isEqualTo(4);
        assertThat(overall.queuedTasks()).isEqualTo(3);
        assertThat(StatisticsSample.of(StatisticsScope.ofVersion("mlp", 1), snapshot).p99Millis()).isEqualTo(6.0);
        assertThat(StatisticsSample.of(StatisticsScope.ofModel("mlp"), snapshot).requestsPerSecond()).isEqualTo(80);
        // A scope without calls has no latency: the chart draws a gap, not a zero.
        StatisticsSample quiet = StatisticsSample.of(StatisticsScope.ofModel("half_plus_two"), snapshot);
        assertThat(quiet.requestsPerSecond()).isZero();
        assertThat(quiet.p50Millis()).isNaN();
    }

    @Test
    void withoutBatchingTheChartsGetNoBatchNumbers() {
        StatisticsSnapshot snapshot = AdminMessages.snapshot(StatisticsUpdate.newBuilder().setTakenAt(T)
                .setStepMillis(500).addScopes(scope("", 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN))
                .build());
        assertThat(snapshot.batching()).isEmpty();
        assertThat(StatisticsSample.of(StatisticsScope.ALL, snapshot).meanBatchSize()).isNaN();
    }

    @Test
    void modelsKeepErrorsAndWaitsApartAndPoliciesAsConfigured() {
        Model model = Model.newBuilder().setName("mlp").setBasePath("/srv/models/mlp")
                .setPolicy(VersionPolicy.newBuilder().setSpecific(VersionPolicy.Specific.newBuilder()
                        .addVersions(1).addVersions(3)))
                .putLabels("stable", 1)
                .addVersions(ModelVersion.newBuilder().setVersion(1).setState(VersionState.AVAILABLE)
                        .setStatusCode("OK").setSince(T))
                .addVersions(ModelVersion.newBuilder().setVersion(2).setState(VersionState.END)
                        .setStatusCode("NOT_FOUND").setStatusMessage("no SavedModel").setSince(T))
                .addVersions(ModelVersion.newBuilder().setVersion(3).setState(VersionState.START)
                        .setStatusCode("OK").setStatusMessage("waiting for variables/variables.index").setSince(T))
                .build();

        ModelEntry entry = AdminMessages.model(model);

        assertThat(entry.basePath().toString()).isEqualTo("/srv/models/mlp");
        assertThat(entry.policy()).isEqualTo(new ServableVersionPolicy.Specific(new TreeSet<>(List.of(1L, 3L))));
        assertThat(entry.labels()).containsEntry("stable", 1L);
        assertThat(entry.versions()).extracting(VersionEntry::state)
                .containsExactly(ManagerState.AVAILABLE, ManagerState.END, ManagerState.START);
        assertThat(entry.versions().get(1).error()).isEqualTo("no SavedModel");
        assertThat(entry.versions().get(2).failed()).isFalse();
        assertThat(entry.versions().get(2).note()).isEqualTo("waiting for variables/variables.index");
        assertThat(AdminMessages.policy(AdminMessages.policy(new ServableVersionPolicy.Latest(2))))
                .isEqualTo(new ServableVersionPolicy.Latest(2));
        assertThat(AdminMessages.policy(VersionPolicy.getDefaultInstance()))
                .as("TF Serving's default").isEqualTo(new ServableVersionPolicy.Latest(1));
    }

    @Test
    void eventsReadAsTheEmbeddedServersDo() {
        ServerEvent available = AdminMessages.event(dev.servedeck.proto.admin.v1.ServerEvent.newBuilder()
                .setSequence(3).setTime(T).setKind(dev.servedeck.proto.admin.v1.ServerEvent.Kind.VERSION_STATE)
                .setModel("half_plus_two").setVersion(1).setState(VersionState.AVAILABLE).setStatusCode("OK").build());
        assertThat(available.source()).isEqualTo("half_plus_two:1");
        assertThat(available.message()).isEqualTo("half_plus_two version 1 is AVAILABLE");
        assertThat(available.severity()).isEqualTo(ServerEvent.Severity.INFO);

        ServerEvent failed = AdminMessages.event(dev.servedeck.proto.admin.v1.ServerEvent.newBuilder()
                .setTime(T).setKind(dev.servedeck.proto.admin.v1.ServerEvent.Kind.VERSION_STATE)
                .setModel("mlp").setVersion(2).setState(VersionState.END).setStatusCode("NOT_FOUND")
                .setMessage("no SavedModel").build());
        assertThat(failed.severity()).isEqualTo(ServerEvent.Severity.ERROR);
        assertThat(failed.message()).isEqualTo("mlp version 2 END: no SavedModel");
    }

    private static ScopeStatistics scope(String model, long version, double rps, double rows, double p50, double p95,
            double p99, double errorsPerSecond, double errorPercent) {
        return ScopeStatistics.newBuilder().setModel(model).setVersion(version).setRequestsPerSecond(rps)
                .setRowsPerSecond(rows).setP50Millis(p50).setP95Millis(p95).setP99Millis(p99)
                .setErrorsPerSecond(errorsPerSecond).setErrorPercent(errorPercent).build();
    }
}
