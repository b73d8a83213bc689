package dev.servedeck.console.logs;

import dev.servedeck.console.backend.ConsoleBackend;
import dev.servedeck.console.backend.ServerEvent;
import dev.servedeck.console.backend.ServerSettings;
import dev.servedeck.console.backend.Subscription;
import dev.servedeck.core.requestlog.RequestLogEntry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The Logs page: a live tail of the server's events and of its request log, filterable, bounded to the last
 * {@value #MAX_ROWS} rows of each.
 *
 * <p>Listeners run on server threads, up to thousands of times a second under load, so they only queue the
 * entry (a bounded queue: memory stays flat even when the FX thread falls behind). {@link #drain()}, called
 * by the console's ticker every {@link #DRAIN_PERIOD}, formats what queued up and hands it to the FX thread
 * in one batch: one {@code ui.execute} per drain, never one per request. Everything else runs on the FX
 * thread.
 */
public final class LogsViewModel implements AutoCloseable {

    public static final int MAX_ROWS = 5_000;
    /** At most five FX updates a second. */
    public static final Duration DRAIN_PERIOD = Duration.ofMillis(200);

    private final ConsoleBackend backend;
    private final Executor ui;
    private final Subscription eventSubscription;
    private final Subscription requestSubscription;

    private final Queue<ServerEvent> pendingEvents = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingEventCount = new AtomicInteger();
    private final Queue<RequestLogEntry> pendingRequests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingRequestCount = new AtomicInteger();

    private final ObservableList<EventRow> events = FXCollections.observableArrayList();
    private final FilteredList<EventRow> visibleEvents = new FilteredList<>(events);
    private final ObservableList<RequestRow> requests = FXCollections.observableArrayList();
    private final FilteredList<RequestRow> visibleRequests = new FilteredList<>(requests);
    /** Rows that arrived while paused, shown on resume (bounded like the tables). */
    private final Deque<EventRow> heldEvents = new ArrayDeque<>();
    private final Deque<RequestRow> heldRequests = new ArrayDeque<>();

    private final StringProperty filter = new SimpleStringProperty("");
    private final ObjectProperty<SeverityFilter> severityFilter = new SimpleObjectProperty<>(SeverityFilter.ALL);
    private final ObjectProperty<StatusFilter> statusFilter = new SimpleObjectProperty<>(StatusFilter.ALL);
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final BooleanProperty autoScroll = new SimpleBooleanProperty(true);
    private final ReadOnlyIntegerWrapper held = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyStringWrapper requestLogFile = new ReadOnlyStringWrapper("");
    private final StringBinding eventCount;
    private final StringBinding requestCount;

    public LogsViewModel(ConsoleBackend backend, Executor ui) {
        this.backend = backend;
        this.ui = ui;
        // Subscribe before reading the history, then drop what both delivered: nothing lost, nothing twice.
        eventSubscription = backend.onEvent(event -> enqueue(pendingEvents, pendingEventCount, event));
        requestSubscription = backend.onRequestLogged(entry -> enqueue(pendingRequests, pendingRequestCount, entry));
        List<ServerEvent> eventHistory = backend.recentEvents();
        List<RequestLogEntry> requestHistory = backend.recentRequests(MAX_ROWS);
        dropDuplicates(pendingEvents, pendingEventCount, eventHistory);
        dropDuplicates(pendingRequests, pendingRequestCount, requestHistory);
        addBounded(events, rows(eventHistory, EventRow::of));
        addBounded(requests, rows(requestHistory, RequestRow::of));

        filter.addListener((obs, old, now) -> updateFilters());
        severityFilter.addListener((obs, old, now) -> updateFilters());
        statusFilter.addListener((obs, old, now) -> updateFilters());
        paused.addListener((obs, wasPaused, isPaused) -> {
            if (!isPaused) {
                showHeldRows();
            }
        });
        eventCount = Bindings.createStringBinding(() -> count(visibleEvents.size(), events.size(), "event"),
                visibleEvents, events);
        requestCount = Bindings.createStringBinding(() -> count(visibleRequests.size(), requests.size(), "request"),
                visibleRequests, requests);
        updateRequestLogFile();
    }

    // ---- server threads ----

    private static <T> void enqueue(Queue<T> queue, AtomicInteger size, T item) {
        queue.offer(item);
        // Bounded: if the FX thread falls behind, the oldest queued lines go (the table keeps only the newest anyway).
        if (size.incrementAndGet() > MAX_ROWS && queue.poll() != null) {
            size.decrementAndGet();
        }
    }

    /**
     * Moves what the listeners queued to the FX thread in one batch; nothing is posted when nothing queued.
     * Safe to call from any thread (the console's ticker calls it every {@link #DRAIN_PERIOD}).
     */
    public void drain() {
        List<EventRow> newEvents = rows(take(pendingEvents, pendingEventCount), EventRow::of);
        List<RequestRow> newRequests = rows(take(pendingRequests, pendingRequestCount), RequestRow::of);
        if (newEvents.isEmpty() && newRequests.isEmpty()) {
            return;
        }
        ui.execute(() -> show(newEvents, newRequests));
    }

    private static <T> List<T> take(Queue<T> queue, AtomicInteger size) {
        List<T> taken = new ArrayList<>();
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            size.decrementAndGet();
            taken.add(item);
        }
        return taken;
    }

    private static <T> void dropDuplicates(Queue<T> queue, AtomicInteger size, Collection<T> history) {
        Set<T> seen = new HashSet<>(history);
        for (Iterator<T> it = queue.iterator(); it.hasNext(); ) {
            if (seen.contains(it.next())) {
                it.remove();
                size.decrementAndGet();
            }
        }
    }

    private static <T, R> List<R> rows(List<T> entries, Function<T, R> toRow) {
        List<R> rows = new ArrayList<>(entries.size());
        for (T entry : entries) {
            rows.add(toRow.apply(entry));
        }
        return rows;
    }

    // ---- FX thread ----

    private void show(List<EventRow> newEvents, List<RequestRow> newRequests) {
        if (!newEvents.isEmpty()) {
            updateRequestLogFile();
        }
        if (paused.get()) {
            holdBounded(heldEvents, newEvents);
            holdBounded(heldRequests, newRequests);
            held.set(heldEvents.size() + heldRequests.size());
            return;
        }
        addBounded(events, newEvents);
        addBounded(requests, newRequests);
    }

    private void showHeldRows() {
        addBounded(events, new ArrayList<>(heldEvents));
        addBounded(requests, new ArrayList<>(heldRequests));
        heldEvents.clear();
        heldRequests.clear();
        held.set(0);
    }

    /** Appends, then drops the oldest rows beyond {@value #MAX_ROWS}: two list changes per batch at most. */
    private static <T> void addBounded(ObservableList<T> rows, List<T> more) {
        if (more.isEmpty()) {
            return;
        }
        if (more.size() >= MAX_ROWS) {
            rows.setAll(more.subList(more.size() - MAX_ROWS, more.size()));
            return;
        }
        int overflow = rows.size() + more.size() - MAX_ROWS;
        if (overflow > 0) {
            rows.remove(0, overflow);
        }
        rows.addAll(more);
    }

    private static <T> void holdBounded(Deque<T> held, List<T> more) {
        held.addAll(more);
        while (held.size() > MAX_ROWS) {
            held.removeFirst();
        }
    }

    private void updateFilters() {
        String needle = filter.get() == null ? "" : filter.get().trim().toLowerCase(Locale.ROOT);
        SeverityFilter severity = severityFilter.get();
        StatusFilter status = statusFilter.get();
        visibleEvents.setPredicate(needle.isEmpty() && severity == SeverityFilter.ALL ? null
                : row -> severity.accepts(row.severity()) && row.matches(needle));
        visibleRequests.setPredicate(needle.isEmpty() && status == StatusFilter.ALL ? null
                : row -> status.accepts(row.ok()) && row.matches(needle));
    }

    private void updateRequestLogFile() {
        requestLogFile.set(backend.settings().map(ServerSettings::requestLogDir)
                .map(dir -> dir.resolve("requests.jsonl").toString()).orElse(""));
    }

    private static String count(int shown, int all, String noun) {
        String plural = all == 1 ? noun : noun + "s";
        return shown == all ? all + " " + plural : shown + " of " + all + " " + plural;
    }

    /** Empties both tables (and what is held while paused). */
    public void clear() {
        events.clear();
        requests.clear();
        heldEvents.clear();
        heldRequests.clear();
        held.set(0);
    }

    /** The rows as tab-separated text, one per line, in the order given (what Ctrl+C copies). */
    public static String asText(List<? extends LogRow> rows) {
        return rows.stream().map(LogRow::asText).collect(Collectors.joining("\n"));
    }

    public FilteredList<EventRow> visibleEvents() {
        return visibleEvents;
    }

    public FilteredList<RequestRow> visibleRequests() {
        return visibleRequests;
    }

    /** Every event row kept (before filtering), oldest first. */
    public ObservableList<EventRow> events() {
        return FXCollections.unmodifiableObservableList(events);
    }

    /** Every request row kept (before filtering), oldest first. */
    public ObservableList<RequestRow> requests() {
        return FXCollections.unmodifiableObservableList(requests);
    }

    /** Text that any column of a row must contain (case-insensitive). */
    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<SeverityFilter> severityFilterProperty() {
        return severityFilter;
    }

    public ObjectProperty<StatusFilter> statusFilterProperty() {
        return statusFilter;
    }

    /** While paused, new rows are held (bounded) and shown on resume. */
    public BooleanProperty pausedProperty() {
        return paused;
    }

    public BooleanProperty autoScrollProperty() {
        return autoScroll;
    }

    /** Rows that arrived while paused. */
    public ReadOnlyIntegerProperty heldProperty() {
        return held.getReadOnlyProperty();
    }

    /** Where the request log is written as JSON lines (empty before the server first starts). */
    public ReadOnlyStringProperty requestLogFileProperty() {
        return requestLogFile.getReadOnlyProperty();
    }

    /** "12 of 40 events" when filtered, "40 events" otherwise. */
    public StringBinding eventCountProperty() {
        return eventCount;
    }

    public StringBinding requestCountProperty() {
        return requestCount;
    }

    /** Stops listening to the server. */
    @Override
    public void close() {
        eventSubscription.close();
        requestSubscription.close();
    }
}
