package dev.servedeck.console.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.console.backend.ActiveBackend;
import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.core.signature.TensorInfo;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.console.testing.DirectExecutor;
import dev.servedeck.console.testing.FakeBackend;
import dev.servedeck.core.metrics.StatisticsSample;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.status.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Monitor's decisions, with a fake backend, hand-built snapshots and no toolkit. */
class MonitorViewModelTest {

    private final FakeBackend backend = new FakeBackend();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T15:30:00Z"), ZoneOffset.UTC);
    private MonitorViewModel viewModel;

    @BeforeEach
    void setUp() {
        backend.state = ServerStatus.State.RUNNING;
        backend.models = List.of(
                FakeBackend.model("half_plus_two", new ServableVersionPolicy.Latest(1), Map.of(),
                        List.of(new VersionEntry(1, ManagerState.AVAILABLE, "", Instant.EPOCH))),
                FakeBackend.model("mlp", new ServableVersionPolicy.Latest(1), Map.of(),
                        List.of(new VersionEntry(1, ManagerState.AVAILABLE, "", Instant.EPOCH),
                                new VersionEntry(2, ManagerState.LOADING, "", Instant.EPOCH))));
        viewModel = new MonitorViewModel(backend, new DirectExecutor(), new DirectExecutor(), clock, System.nanoTime());
    }

    @Test
    void anotherServerStartsTheChartsAgainInsteadOfJoiningTwoServersLines() {
        ActiveBackend active = new ActiveBackend(backend);
        MonitorViewModel followed = new MonitorViewModel(active, new DirectExecutor(), new DirectExecutor(), clock,
                System.nanoTime());
        Snapshots traffic = Snapshots.at().overall(1_000, 200).model("mlp", 400, 900);
        followed.onSnapshot(traffic.step(0));
        followed.onSnapshot(traffic.step(1));
        followed.scopeProperty().set(MonitorScope.ofModel("mlp"));
        int historyChanges = followed.historyClearedProperty().get();

        FakeBackend other = new FakeBackend();
        other.state = ServerStatus.State.RUNNING;
        other.models = List.of(FakeBackend.model("resnet", new ServableVersionPolicy.Latest(1), Map.of(),
                List.of(new VersionEntry(3, ManagerState.AVAILABLE, "", Instant.EPOCH))));
        active.switchTo(other, "Now managing edge-3");

        assertThat(followed.samplesKept()).isZero();
        assertThat(followed.visibleSamples()).isEmpty();
        assertThat(followed.scopeProperty().get()).isEqualTo(MonitorScope.ALL);
        assertThat(followed.scopes()).containsExactlyInAnyOrder(MonitorScope.ALL, MonitorScope.ofModel("resnet"),
                MonitorScope.ofVersion("resnet", 3));
        assertThat(followed.readoutProperty(ChartKind.THROUGHPUT).get()).isEqualTo("–");
        assertThat(followed.historyClearedProperty().get()).isEqualTo(historyChanges + 1);

        followed.onSnapshot(traffic.step(2));
        assertThat(followed.visibleSamples()).hasSize(1);
        followed.close();
    }

    @Test
    void everyNewSnapshotBecomesOnePointOfEveryScope() {
        Snapshots traffic = Snapshots.at().overall(1_000, 200).model("mlp", 400, 900).version("mlp", 1, 400, 900);
        List<StatisticsSample> drawn = new ArrayList<>();
        viewModel.latestSampleProperty().addListener((obs, old, now) -> drawn.add(now));

        var first = traffic.step(0);
        viewModel.onSnapshot(first);
        viewModel.onSnapshot(first); // the same snapshot again: no new point
        viewModel.onSnapshot(traffic.step(1));
        viewModel.onSnapshot(traffic.step(2));

        assertThat(drawn).hasSize(3);
        assertThat(drawn).extracting(StatisticsSample::timeMillis).containsExactly(
                Snapshots.START.toEpochMilli(), Snapshots.START.toEpochMilli() + 500, Snapshots.START.toEpochMilli() + 1000);
        assertThat(viewModel.visibleSamples()).hasSize(3);
        StatisticsSample latest = drawn.get(2);
        assertThat(latest.requestsPerSecond()).isEqualTo(1_000);
        assertThat(latest.p50Millis()).isEqualTo(0.2);
        assertThat(latest.p95Millis()).isEqualTo(0.4);
        assertThat(latest.p99Millis()).isEqualTo(0.8);
        assertThat(latest.errorsPerSecond()).isZero();
        assertThat(viewModel.readoutProperty(ChartKind.THROUGHPUT).get()).isEqualTo("1,000 req/s · 1,000 rows/s");
        assertThat(viewModel.readoutProperty(ChartKind.LATENCY).get()).isEqualTo("p50 0.20 · p95 0.40 · p99 0.80 ms");
        // every scope got its point in each tick, the idle ones too
        assertThat(viewModel.samplesKept(MonitorScope.ofModel("half_plus_two"))).isEqualTo(3);
        assertThat(viewModel.samplesKept(MonitorScope.ofVersion("mlp", 1))).isEqualTo(3);
    }

    @Test
    void scopesAreEveryModelTheModelsAndTheirAvailableVersionsAndWhatHasTraffic() {
        assertThat(viewModel.scopes()).containsExactly(MonitorScope.ALL, MonitorScope.ofModel("half_plus_two"),
                MonitorScope.ofVersion("half_plus_two", 1), MonitorScope.ofModel("mlp"), MonitorScope.ofVersion("mlp", 1));
        assertThat(viewModel.load().chooser().modelProperty().get()).isEqualTo("half_plus_two");

        // a version with traffic that is no longer configured (unloading) still shows while it has traffic
        viewModel.onSnapshot(Snapshots.at().overall(10, 100).model("old", 10, 100).version("old", 7, 10, 100).step(0));
        assertThat(viewModel.scopes()).contains(MonitorScope.ofModel("old"), MonitorScope.ofVersion("old", 7));
        assertThat(viewModel.samplesKept(MonitorScope.ofVersion("old", 7))).isEqualTo(1);

        // once it has neither traffic nor configuration it goes, with its history
        viewModel.onSnapshot(Snapshots.at().overall(0, 0).step(1));
        assertThat(viewModel.scopes()).doesNotContain(MonitorScope.ofVersion("old", 7));
        assertThat(viewModel.samplesKept(MonitorScope.ofVersion("old", 7))).isZero();
    }

    @Test
    void theSelectedScopeDecidesWhichStatisticsTheChartsShow() {
        Snapshots traffic = Snapshots.at().overall(100, 50).model("mlp", 30, 800).version("mlp", 1, 20, 700)
                .batching(10, 120, 3);
        viewModel.onSnapshot(traffic.step(0));

        viewModel.scopeProperty().set(MonitorScope.ofModel("mlp"));
        assertThat(viewModel.visibleSamples()).singleElement()
                .satisfies(sample -> assertThat(sample.requestsPerSecond()).isEqualTo(30));
        assertThat(viewModel.readoutProperty(ChartKind.THROUGHPUT).get()).isEqualTo("30.0 req/s · 30.0 rows/s");

        viewModel.scopeProperty().set(MonitorScope.ofVersion("mlp", 1));
        viewModel.onSnapshot(traffic.step(1));
        assertThat(viewModel.latestSampleProperty().get().requestsPerSecond()).isEqualTo(20);
        assertThat(viewModel.latestSampleProperty().get().p50Millis()).isEqualTo(0.7);

        // a configured model without traffic: zero throughput, no latency (a gap, not a 0 ms line)
        viewModel.scopeProperty().set(MonitorScope.ofModel("half_plus_two"));
        StatisticsSample idle = viewModel.visibleSamples().get(1);
        assertThat(idle.requestsPerSecond()).isZero();
        assertThat(idle.p99Millis()).isNaN();
        assertThat(viewModel.readoutProperty(ChartKind.LATENCY).get()).isEqualTo("no requests");
        // batching is the scheduler's: the same for every scope
        assertThat(idle.meanBatchSize()).isEqualTo(12.0);
        assertThat(idle.queuedTasks()).isEqualTo(3.0);
        assertThat(viewModel.readoutProperty(ChartKind.BATCH_SIZE).get()).isEqualTo("12.0 rows per batch");
    }

    @Test
    void errorsAreCountedPerSecondAndInPercent() {
        viewModel.onSnapshot(Snapshots.at().overall(Snapshots.serving(100, 1, 100,
                Map.of(Code.INVALID_ARGUMENT, 4L, Code.NOT_FOUND, 1L))).step(0));

        StatisticsSample sample = viewModel.latestSampleProperty().get();
        assertThat(sample.errorsPerSecond()).isEqualTo(10.0); // 5 errors in half a second
        assertThat(sample.errorPercent()).isEqualTo(10.0); // of 50 requests
        assertThat(viewModel.readoutProperty(ChartKind.ERRORS).get()).isEqualTo("10.0 errors/s (10.0 %)");
    }

    @Test
    void withoutBatchingTheBatchChartsSaySo() {
        viewModel.onSnapshot(Snapshots.at().overall(10, 100).step(0));

        assertThat(viewModel.latestSampleProperty().get().queuedTasks()).isNaN();
        assertThat(viewModel.readoutProperty(ChartKind.QUEUE_DEPTH).get()).isEqualTo("batching off");
    }

    @Test
    void historyIsTrimmedToTheLongestWindowSoMemoryStaysBounded() {
        Snapshots traffic = Snapshots.at().overall(10, 100).model("mlp", 10, 100);
        int twentyMinutes = 20 * 60 * 2;
        for (int step = 0; step < twentyMinutes; step++) {
            viewModel.onSnapshot(traffic.step(step));
        }

        int fifteenMinutes = 15 * 60 * 2;
        assertThat(viewModel.samplesKept(MonitorScope.ALL)).isBetween(fifteenMinutes, fifteenMinutes + 1);
        // five scopes, none holding more than the longest window
        assertThat(viewModel.samplesKept()).isLessThanOrEqualTo(5 * (fifteenMinutes + 1));
        assertThat(viewModel.visibleSamples()).hasSize(5 * 60 * 2 + 1); // the default window: 5 minutes
        viewModel.windowProperty().set(ChartWindow.ONE_MINUTE);
        assertThat(viewModel.visibleSamples()).hasSize(60 * 2 + 1);
        assertThat(viewModel.visibleSamples().get(0).timeMillis())
                .isEqualTo(Snapshots.START.toEpochMilli() + (twentyMinutes - 1) * 500L - 60_000);
    }

    @Test
    void aStoppedServerBreaksTheLines() {
        Snapshots traffic = Snapshots.at().overall(10, 100);
        viewModel.onSnapshot(traffic.step(0));
        viewModel.onSnapshot(traffic.step(40)); // 20 s later: the server was stopped meanwhile

        List<StatisticsSample> samples = viewModel.visibleSamples();
        assertThat(samples).hasSize(3);
        assertThat(samples.get(1).requestsPerSecond()).isNaN();
    }

    @Test
    void pausingFreezesTheChartsButSamplingGoesOn() {
        Snapshots traffic = Snapshots.at().overall(10, 100);
        viewModel.setChartsShown(true);
        viewModel.onSnapshot(traffic.step(0));
        long drawnTicks = viewModel.tickCost().count();

        viewModel.togglePaused();
        assertThat(viewModel.pausedProperty().get()).isTrue();
        assertThat(viewModel.statusProperty().get()).startsWith("Paused at 15:30:00").contains("sampling goes on");
        viewModel.onSnapshot(traffic.step(1));
        viewModel.onSnapshot(traffic.step(2));

        assertThat(viewModel.visibleSamples()).hasSize(3); // what Resume shows
        assertThat(viewModel.tickCost().count()).isEqualTo(drawnTicks); // paused ticks draw nothing, so are not timed
        viewModel.togglePaused();
        assertThat(viewModel.statusProperty().get()).startsWith("Live");
    }

    @Test
    void onlyTicksThatDrawAreTimed() {
        Snapshots traffic = Snapshots.at().overall(10, 100);
        viewModel.onSnapshot(traffic.step(0));
        assertThat(viewModel.tickCost().count()).isZero();

        viewModel.setChartsShown(true);
        viewModel.onSnapshot(traffic.step(1));
        viewModel.onSnapshot(traffic.step(2));
        assertThat(viewModel.tickCost().count()).isEqualTo(2);
        assertThat(viewModel.tickCost().maxMillis()).isGreaterThanOrEqualTo(viewModel.tickCost().meanMillis());
        assertThat(viewModel.tickCostTextProperty().get()).startsWith("Chart update");
    }

    @Test
    void theFirstChartPointIsMeasuredFromComposition() {
        assertThat(viewModel.firstPoint()).isNotDone();
        viewModel.onSnapshot(Snapshots.at().step(0));
        assertThat(viewModel.firstPoint()).isCompletedWithValueMatching(elapsed -> !elapsed.isNegative());
    }

    @Test
    void exportedChartsAreNamedAfterTheChartAndTheTime(@TempDir Path dir) throws Exception {
        assertThat(viewModel.exportFileName(ChartKind.THROUGHPUT)).isEqualTo("servedeck-throughput-20261125-153000.png");
        assertThat(viewModel.exportFileName(ChartKind.QUEUE_DEPTH)).isEqualTo("servedeck-queue-depth-20261125-153000.png");

        List<ChartKind> rendered = new ArrayList<>();
        viewModel.setChartRenderer(kind -> {
            rendered.add(kind);
            return file -> Files.writeString(file, "png of " + kind);
        });
        Path file = dir.resolve(viewModel.exportFileName(ChartKind.LATENCY));
        assertThat(viewModel.exportChart(ChartKind.LATENCY, file).get()).isEqualTo(file);

        assertThat(rendered).containsExactly(ChartKind.LATENCY);
        assertThat(Files.readString(file)).isEqualTo("png of LATENCY");
        assertThat(viewModel.noticeProperty().get()).isEqualTo("Saved the latency chart to " + file);
        assertThat(viewModel.exportDirectory()).isEqualTo(dir);
    }

    @Test
    void aFailedExportSaysWhy(@TempDir Path dir) {
        viewModel.setChartRenderer(kind -> file -> {
            throw new IOException("disk full");
        });
        assertThat(viewModel.exportChart(ChartKind.ERRORS, dir.resolve("x.png"))).isCompletedExceptionally();
        assertThat(viewModel.noticeProperty().get()).contains("disk full");
    }

    @Test
    void theStatusSaysWhenTheServerIsNotRunning() {
        backend.state = ServerStatus.State.STOPPED;
        backend.emit(new dev.servedeck.console.backend.ServerEvent(Instant.now(),
                dev.servedeck.console.backend.ServerEvent.Severity.INFO, "server", "stopped"));
        assertThat(viewModel.statusProperty().get()).startsWith("The server is not running");
    }

    @Test
    void latencyReadoutsKeepTwoSignificantDigits() {
        StatisticsSample sample = new StatisticsSample(0, 1, 1, 0.031, 12.34, 1234.5, 0, 0, Double.NaN, 0);
        assertThat(Readouts.format(ChartKind.LATENCY, sample)).isEqualTo("p50 0.03 · p95 12.3 · p99 1,235 ms");
        assertThat(Readouts.format(ChartKind.BATCH_SIZE, sample)).isEqualTo("no batches");
    }
}
