package dev.servedeck.console.backend;

import dev.servedeck.console.kit.ListenerList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The server events a backend has told, as its pages read them: the most recent ones (bounded, so a console left
 * open for weeks holds no more than {@code capacity}) for a page opened late, and each new one to the listeners.
 */
public final class ServerEventLog {

    private final int capacity;
    private final Deque<ServerEvent> events = new ArrayDeque<>();
    private final ListenerList<ServerEvent> listeners = new ListenerList<>();

    public ServerEventLog(int capacity) {
        this.capacity = capacity;
    }

    /** Keeps {@code event} (dropping the oldest beyond the capacity) and tells every listener. */
    public void add(ServerEvent event) {
        synchronized (events) {
            events.addLast(event);
            while (events.size() > capacity) {
                events.removeFirst();
            }
        }
        listeners.fire(event);
    }

    public Subscription subscribe(Consumer<ServerEvent> listener) {
        return listeners.add(listener);
    }

    /** The kept events, oldest first. */
    public List<ServerEvent> recent() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
