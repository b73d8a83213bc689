package dev.servedeck.console.fleet;

import dev.servedeck.console.connections.ActiveServer;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.console.connections.ConnectionStore;
import dev.servedeck.console.connections.OpenBackends;
import dev.servedeck.console.kit.FxCoalescer;
import dev.servedeck.console.kit.OperationState;
import dev.servedeck.console.backend.ServerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Fleet page: every server the console knows (the embedded one, the command line's, the saved connections) in
 * one table with its state, models, AVAILABLE versions, req/s, p99, errors/s, CPU and memory, short trends, and what
 * is wrong; opening a row makes it the server the other pages manage.
 *
 * <p>While the page is shown it watches up to {@link #MAX_WATCHED} servers: it holds a lease on each one's backend
 * (so a remote server it watches stays connected, and is closed when the page is left unless the console manages
 * it). {@link #sample()} runs once a {@link #TICK} on the console's refresh thread, reads each backend's snapshots
 * and hands the FX thread one batch of readings (coalesced: a busy FX thread gets one update, with the newest).
 * Call the rest on the FX thread.
 */
public final class FleetViewModel {

    /** How often the page reads its servers: a point a second. */
    public static final Duration TICK = Duration.ofSeconds(1);
    /** The most servers watched at once; rows beyond say so (each costs a connection and its streams). */
    public static final int MAX_WATCHED = 24;

    private final ConnectionStore store;
    private final Optional<Connection> commandLine;
    private final OpenBackends backends;
    private final ActiveServer server;
    private final Executor work;
    private final OperationState operation;
    private final FxCoalescer showSoon;

    private final ObservableList<FleetRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    /** The watches of the servers listed now; replaced whole (the refresh thread reads it). */
    private volatile List<FleetWatch> watches = List.of();
    private volatile boolean shown;
    /** Each listed server's trend, kept while the page is hidden (FX thread). */
    private Map<Connection, FleetTrend> trends = Map.of();
    private final AtomicReference<List<FleetReading>> newest = new AtomicReference<>();

    /**
     * @param commandLine the server of {@code --server}, listed second (never saved)
     * @param backends opens and shares the backends (the active server's among them)
     * @param work opens backends (the secret store and certificate files may block) and switches servers
     */
    public FleetViewModel(ConnectionStore store, Optional<Connection> commandLine, OpenBackends backends,
            ActiveServer server, Executor ui, Executor work) {
        this.store = store;
        this.commandLine = commandLine;
        this.backends = backends;
        this.server = server;
        this.work = work;
        this.operation = new OperationState(ui);
        this.showSoon = new FxCoalescer(ui, this::showNewest);
    }

    /**
     * The view is on screen (true) or not. Shown, the page lists the servers known now and watches them; hidden,
     * it lets go of their backends, so a remote server the console does not manage is disconnected.
     */
    public void setShown(boolean now) {
        if (now == shown) {
            return;
        }
        shown = now;
        if (now) {
            watch(store.loadWith(commandLine));
        } else {
            List<FleetWatch> leaving = watches;
            watches = List.of();
            release(leaving);
        }
    }

    /**
     * Lets go of the watched backends off the FX thread: closing a remote backend, or waiting for another page that
     * is opening one (the secret store may prompt), must not hold the window up.
     */
    private void release(List<FleetWatch> leaving) {
        try {
            work.execute(() -> leaving.forEach(FleetWatch::release));
        } catch (RejectedExecutionException closing) {
            leaving.forEach(FleetWatch::release); // the console is closing: nothing waits for the window any more
        }
    }

    private void watch(List<Connection> connections) {
        Map<Connection, FleetRow> existing = new HashMap<>();
        rows.forEach(row -> existing.put(row.connection(), row));
        List<FleetWatch> now = new ArrayList<>();
        List<FleetRow> listed = new ArrayList<>();
        Connection managed = server.connection();
        Map<Connection, FleetTrend> kept = new HashMap<>();
        for (Connection connection : connections) {
            FleetTrend trend = trends.get(connection);
            if (trend == null) {
                trend = new FleetTrend();
            } else {
                synchronized (this) { // a tick may still be reading it
                    trend.addGap(); // the page was hidden meanwhile: the lines break there
                }
            }
            kept.put(connection, trend);
            FleetWatch watch = new FleetWatch(connection, trend);
            boolean watched = now.size() < MAX_WATCHED;
            FleetReading first = FleetReading.unknown(connection, connection.equals(managed), watched ? "Connecting…"
                    : "Not watched: the Fleet page watches at most " + MAX_WATCHED + " servers", List.of(),
                    new FleetTrend());
            FleetRow row = existing.get(connection);
            if (row == null) {
                row = new FleetRow(first);
            } else if (!watched) {
                row.show(first);
            }
            listed.add(row);
            if (watched) {
                now.add(watch);
                CompletableFuture.supplyAsync(() -> backends.lease(connection), work)
                        .whenComplete((lease, error) -> {
                            if (error == null) {
                                watch.opened(lease);
                            } else {
                                watch.failedToOpen(error);
                            }
                        });
            }
        }
        rows.setAll(listed);
        trends = kept; // servers no longer listed lose their trend
        watches = List.copyOf(now);
    }

    /** One tick (the refresh thread): read every watched server, hand the FX thread the readings. */
    public synchronized void sample() {
        List<FleetWatch> current = watches;
        if (!shown || current.isEmpty()) {
            return;
        }
        Connection managed = server.connection();
        List<FleetReading> readings = new ArrayList<>(current.size());
        for (FleetWatch watch : current) {
            readings.add(watch.read(watch.connection().equals(managed)));
        }
        newest.set(readings);
        showSoon.run();
    }

    private void showNewest() {
        List<FleetReading> readings = newest.getAndSet(null);
        if (readings == null) {
            return;
        }
        Map<Connection, FleetReading> byConnection = new HashMap<>();
        readings.forEach(reading -> byConnection.put(reading.connection(), reading));
        for (FleetRow row : rows) {
            FleetReading reading = byConnection.get(row.connection());
            if (reading != null) {
                row.show(reading);
            }
        }
        updateSummary();
    }

    private void updateSummary() {
        long serving = rows.stream().filter(row -> row.reading().state().filter(ServerStatus.State.RUNNING::equals)
                .isPresent()).count();
        long wrong = rows.stream().filter(row -> row.reading().worst().isPresent()).count();
        summary.set(rows.size() + " servers · " + serving + " serving · " + (wrong == 0 ? "nothing wrong"
                : wrong + " with problems") + " · managed now: " + server.connection().name());
    }

    /** Makes {@code row}'s server the one the other pages manage (the embedded server keeps running). */
    public CompletableFuture<Void> open(FleetRow row) {
        if (row == null) {
            return CompletableFuture.completedFuture(null);
        }
        Connection target = row.connection();
        if (target.equals(server.connection())) {
            operation.showNotice(target.name() + " is the server managed now");
            return CompletableFuture.completedFuture(null);
        }
        return operation.run("Opening " + target.name(), () -> CompletableFuture.runAsync(() -> server.open(target),
                work), ignored -> {
                    updateSummary();
                    return "Now managing " + target.name() + ": the other pages show it";
                }, "Could not open " + target.name() + ": ");
    }

    public ObservableList<FleetRow> rows() {
        return rows;
    }

    /** "3 servers · 2 serving · 1 with problems · managed now: edge-3". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public OperationState operation() {
        return operation;
    }
}
