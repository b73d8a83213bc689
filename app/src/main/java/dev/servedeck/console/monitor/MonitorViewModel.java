package dev.servedeck.console.monitor;

import dev.servedeck.console.kit.FxCoalescer;
import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.Failures;
import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.metrics.StatisticsSample;
import dev.servedeck.core.metrics.StatisticsSnapshot;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Monitor page: live charts of throughput, latency, errors, batch size and queue depth for every model
 * together, one model or one model version, and a small load generator to make them move.
 *
 * <p>A {@link StatisticsSampler} calls {@link #onSnapshot} on the FX thread with each new statistics
 * snapshot. Each call appends one {@link StatisticsSample} per scope to a bounded history (the longest chart
 * window, so switching scope or window shows history at once) and publishes the selected scope's sample in
 * {@link #latestSampleProperty()}, which the view draws. Pausing freezes the charts only: sampling goes on,
 * and resuming shows what happened meanwhile. All methods run on the FX thread.
 */
public final class MonitorViewModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorViewModel.class);
    /** How often the sampler looks: half the embedded server's statistics step, so it sees every step once. */
    public static final Duration SAMPLE_PERIOD = Duration.ofMillis(250);
    /** A safety cap per scope, whatever the sample times: 15 minutes at two samples a second, and some. */
    static final int MAX_SAMPLES_PER_SCOPE = 4_000;
    /** Ticks whose FX time is logged once at INFO: the first 20 seconds of drawing. */
    static final int TICKS_LOGGED_ONCE = 40;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ConsoleBackend backend;
    private final Executor ui;
    private final Executor work;
    private final Clock clock;
    private final long composedNanos;
    private final List<Subscription> subscriptions = new ArrayList<>();

    private final SampleHistory history = new SampleHistory(ChartWindow.LONGEST, MAX_SAMPLES_PER_SCOPE);
    private final TickCost tickCost = new TickCost(120);
    private final ObservableList<MonitorScope> scopes = FXCollections.observableArrayList(MonitorScope.ALL);
    private final ObjectProperty<MonitorScope> scope = new SimpleObjectProperty<>(MonitorScope.ALL);
    private final ObjectProperty<ChartWindow> window = new SimpleObjectProperty<>(ChartWindow.FIVE_MINUTES);
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final ReadOnlyObjectWrapper<StatisticsSample> latestSample = new ReadOnlyObjectWrapper<>();
    private final Map<ChartKind, ReadOnlyStringWrapper> readouts = new EnumMap<>(ChartKind.class);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper tickCostText = new ReadOnlyStringWrapper("");
    /** Counts the times the history was dropped (the console switched servers): the view redraws. */
    private final ReadOnlyIntegerWrapper historyCleared = new ReadOnlyIntegerWrapper(0);
    private final CompletableFuture<Duration> firstPoint = new CompletableFuture<>();
    private Set<MonitorScope> configured = Set.of();
    private StatisticsSnapshot lastSnapshot;
    private boolean chartsShown;
    private boolean firstDrawLogged;
    private String pausedAt = "";

    private final LoadGeneratorViewModel load;

    private Function<ChartKind, ChartPng> renderer;
    private Path exportDirectory = Path.of(System.getProperty("user.home"));

    /**
     * @param work runs short background work (writing exported charts)
     * @param clock names exported files in its zone
     * @param composedNanos {@link System#nanoTime()} when the console was composed: the first chart point is
     *        measured from it
     */
    public MonitorViewModel(ConsoleBackend backend, Executor ui, Executor work, Clock clock, long composedNanos) {
        this.backend = backend;
        this.ui = ui;
        this.work = work;
        this.clock = clock;
        this.composedNanos = composedNanos;
        this.load = new LoadGeneratorViewModel(backend, ui, work);
        for (ChartKind kind : ChartKind.values()) {
            readouts.put(kind, new ReadOnlyStringWrapper("–"));
        }
        scope.addListener((obs, old, now) -> showReadouts(newestOf(now)));
        paused.addListener((obs, old, now) -> {
            pausedAt = now ? LocalDateTime.now(clock).format(CLOCK_TIME) : "";
            updateStatus();
        });
        window.addListener((obs, old, now) -> updateStatus());
        FxCoalescer configuredSoon = new FxCoalescer(ui, this::refreshConfigured);
        FxCoalescer statusSoon = new FxCoalescer(ui, this::updateStatus);
        subscriptions.add(backend.onModelsChanged(configuredSoon));
        subscriptions.add(backend.onEvent(event -> statusSoon.run()));
        subscriptions.add(backend.onServerChanged(() -> ui.execute(this::forgetPreviousServer)));
        refreshConfigured();
        updateStatus();
    }

    // ---- sampling ----

    /** One tick of the sampler, on the FX thread: a new snapshot becomes a point of every scope. */
    public void onSnapshot(StatisticsSnapshot snapshot) {
        if (snapshot == lastSnapshot) {
            return;
        }
        long started = System.nanoTime();
        boolean first = lastSnapshot == null;
        lastSnapshot = snapshot;
        long time = snapshot.takenAt().toEpochMilli();
        Set<MonitorScope> seen = new TreeSet<>(configured);
        snapshot.models().keySet().forEach(name -> seen.add(MonitorScope.ofModel(name)));
        for (ServableId id : snapshot.versions().keySet()) {
            seen.add(MonitorScope.ofVersion(id.name(), id.version()));
        }
        updateScopes(seen);
        for (MonitorScope each : scopes) {
            history.append(each, StatisticsSample.of(time, each.statisticsIn(snapshot), snapshot.batching()));
        }
        if (first) {
            updateStatus(); // it names the statistics step, known now
        }
        if (firstPoint.complete(sinceComposed())) {
            LOG.info("First chart point after {} ms (since the console was composed; JVM uptime {} ms)",
                    sinceComposed().toMillis(), ManagementFactory.getRuntimeMXBean().getUptime());
        }
        StatisticsSample latest = newestOf(scope.get()).orElseThrow();
        showReadouts(Optional.of(latest));
        latestSample.set(latest); // the view draws it now, inside this tick
        load.refreshProgress();
        if (chartsDrawing()) {
            recordTick(System.nanoTime() - started);
        }
    }

    private void recordTick(long nanos) {
        tickCost.record(nanos);
        tickCostText.set(String.format("Chart update %.1f ms (max %.1f ms over the last minute)",
                tickCost.meanMillis(), tickCost.maxMillis()));
        if (tickCost.count() == TICKS_LOGGED_ONCE) {
            LOG.info("FX time per chart tick over the first {} drawn ticks: mean {} ms, max {} ms",
                    TICKS_LOGGED_ONCE, String.format("%.2f", tickCost.meanMillis()),
                    String.format("%.2f", tickCost.maxMillis()));
        } else if (tickCost.count() % 1_200 == 0) {
            LOG.debug("FX time per chart tick: mean {} ms, max {} ms over the last 120 ticks",
                    String.format("%.2f", tickCost.meanMillis()), String.format("%.2f", tickCost.maxMillis()));
        }
    }

    private Duration sinceComposed() {
        return Duration.ofNanos(System.nanoTime() - composedNanos);
    }

    /** Scopes: every model together, the configured models and available versions, and any with traffic. */
    private void updateScopes(Set<MonitorScope> seen) {
        TreeSet<MonitorScope> all = new TreeSet<>(seen);
        all.add(MonitorScope.ALL);
        all.add(scope.get()); // the selection never disappears under the operator
        if (!scopes.equals(new ArrayList<>(all))) {
            scopes.setAll(all);
            history.retainOnly(all);
        }
    }

    /**
     * The console now manages another server: the charts start again from its samples rather than draw one line
     * through two servers' numbers.
     */
    private void forgetPreviousServer() {
        history.retainOnly(List.of());
        lastSnapshot = null;
        scope.set(MonitorScope.ALL);
        refreshConfigured();
        showReadouts(Optional.empty());
        historyCleared.set(historyCleared.get() + 1);
        updateStatus();
    }

    private void refreshConfigured() {
        Set<MonitorScope> now = new TreeSet<>();
        for (ModelEntry model : backend.models()) {
            now.add(MonitorScope.ofModel(model.name()));
            for (VersionEntry version : model.versions()) {
                if (version.state() == ManagerState.AVAILABLE) {
                    now.add(MonitorScope.ofVersion(model.name(), version.version()));
                }
            }
        }
        configured = now;
        updateScopes(new TreeSet<>(now));
    }

    private Optional<StatisticsSample> newestOf(MonitorScope of) {
        return history.newest(of);
    }

    private void showReadouts(Optional<StatisticsSample> sample) {
        for (ChartKind kind : ChartKind.values()) {
            readouts.get(kind).set(sample.map(s -> Readouts.format(kind, s)).orElse("–"));
        }
    }

    private void updateStatus() {
        if (paused.get()) {
            status.set("Paused at " + pausedAt + ": sampling goes on, and Resume shows what happened meanwhile.");
        } else if (!backend.status().running()) {
            status.set("The server is not running: the charts go on when it serves again.");
        } else {
            status.set("Live: a point every " + stepText() + ", the last " + window.get().length().toMinutes()
                    + " min shown. Batch size and queue depth are the shared scheduler's (every model).");
        }
    }

    private String stepText() {
        return lastSnapshot == null ? "step"
                : String.format("%.1f s", lastSnapshot.overall().shortWindow().window().toMillis() / 1000.0);
    }

    /** The selected scope's samples within the selected window, oldest first: what the charts show. */
    public List<StatisticsSample> visibleSamples() {
        return history.recent(scope.get(), window.get().length());
    }

    /** The view tells whether it draws the charts (shown and not paused): only such ticks are timed. */
    public void setChartsShown(boolean shown) {
        chartsShown = shown;
    }

    private boolean chartsDrawing() {
        return chartsShown && !paused.get();
    }

    /** The view drew {@code points} points; the first time there are some is logged. */
    public void chartsDrawn(int points) {
        if (points > 0 && !firstDrawLogged) {
            firstDrawLogged = true;
            LOG.info("First chart point drawn after {} ms (since the console was composed; JVM uptime {} ms)",
                    sinceComposed().toMillis(), ManagementFactory.getRuntimeMXBean().getUptime());
        }
    }

    /** Completes (on the FX thread) with the time from composition to the first sampled chart point. */
    public CompletableFuture<Duration> firstPoint() {
        return firstPoint.copy();
    }

    public TickCost tickCost() {
        return tickCost;
    }

    public void togglePaused() {
        paused.set(!paused.get());
    }

    // ---- export ----

    /** The view's way to draw a chart into an image (called on the FX thread). */
    public void setChartRenderer(Function<ChartKind, ChartPng> renderer) {
        this.renderer = renderer;
    }

    /** The default file name, e.g. {@code servedeck-throughput-20261125-153000.png}. */
    public String exportFileName(ChartKind kind) {
        return "servedeck-" + kind.fileKey() + "-" + LocalDateTime.now(clock).format(FILE_TIME) + ".png";
    }

    /** Where the file chooser opens: the folder of the last export, else the home folder. */
    public Path exportDirectory() {
        return exportDirectory;
    }

    /** Writes {@code kind}'s chart as it is now to {@code file} as PNG; the notice says how it went. */
    public CompletableFuture<Path> exportChart(ChartKind kind, Path file) {
        if (renderer == null) {
            notice.set("Open the Monitor page to export its charts.");
            return CompletableFuture.failedFuture(new IllegalStateException("The charts are not drawn"));
        }
        ChartPng png = renderer.apply(kind);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            exportDirectory = parent;
        }
        CompletableFuture<Path> written = CompletableFuture.supplyAsync(() -> {
            try {
                png.writeTo(file);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
            }
        }, work);
        written.whenComplete((path, error) -> ui.execute(() -> notice.set(error == null
                ? "Saved the " + kind.title().toLowerCase() + " chart to " + path
                : Failures.message(error))));
        return written;
    }

    /** The load generator's part of the page. */
    public LoadGeneratorViewModel load() {
        return load;
    }

    @Override
    public void close() {
        load.close();
        subscriptions.forEach(Subscription::close);
    }

    // ---- properties ----

    public ObservableList<MonitorScope> scopes() {
        return scopes;
    }

    public ObjectProperty<MonitorScope> scopeProperty() {
        return scope;
    }

    public ObjectProperty<ChartWindow> windowProperty() {
        return window;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    public ReadOnlyObjectProperty<StatisticsSample> latestSampleProperty() {
        return latestSample.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty readoutProperty(ChartKind kind) {
        return readouts.get(kind).getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** Changes when the history is dropped because the console manages another server now. */
    public ReadOnlyIntegerProperty historyClearedProperty() {
        return historyCleared.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty tickCostTextProperty() {
        return tickCostText.getReadOnlyProperty();
    }

    int samplesKept(MonitorScope of) {
        return history.size(of);
    }

    int samplesKept() {
        return history.totalSize();
    }
}
