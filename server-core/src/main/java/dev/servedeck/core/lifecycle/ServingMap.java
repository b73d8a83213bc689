package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableRequest;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.status.Status;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An immutable picture of every stream the manager holds, taken by the manager thread after each change
 * and swapped in atomically. Requests resolve against it without locks; it also knows enough about the
 * versions that are not available to say why in the error.
 */
final class ServingMap {

    static final ServingMap EMPTY = new ServingMap(Map.of());

    /** One version as requests see it; {@code loaded} is set only while the version serves. */
    private record VersionView(ManagerState state, Status health, LoadedVersion loaded) {

        String whyNotAvailable() {
            if (health.ok()) {
                return "it is " + state;
            }
            // A load that failed for good, or one between attempts whose status says so.
            return state == ManagerState.END ? "it failed to load: " + health.message() : "it is " + state + ": "
                    + health.message();
        }
    }

    private final Map<String, NavigableMap<Long, VersionView>> streams;

    private ServingMap(Map<String, NavigableMap<Long, VersionView>> streams) {
        this.streams = streams;
    }

    static ServingMap of(Map<String, ? extends Map<Long, LoaderHarness>> harnessesByStream) {
        Map<String, NavigableMap<Long, VersionView>> streams = new TreeMap<>();
        harnessesByStream.forEach((name, harnesses) -> {
            NavigableMap<Long, VersionView> versions = new TreeMap<>();
            harnesses.forEach((version, harness) -> versions.put(version, viewOf(harness)));
            if (!versions.isEmpty()) {
                streams.put(name, Collections.unmodifiableNavigableMap(versions));
            }
        });
        return new ServingMap(Collections.unmodifiableMap(streams));
    }

    private static VersionView viewOf(LoaderHarness harness) {
        LoadedVersion serving = harness.state() == LoaderHarness.State.READY ? harness.loaded().orElse(null) : null;
        return new VersionView(harness.state().managerState(), harness.health(), serving);
    }

    /**
     * The version a request gets: the highest AVAILABLE one for "latest", or exactly the one asked for.
     *
     * @throws ServingException NOT_FOUND for an unknown model or version, UNAVAILABLE for a known version
     *     (or a model) that does not serve right now
     */
    LoadedVersion resolve(ServableRequest request) {
        NavigableMap<Long, VersionView> versions = streams.get(request.name());
        if (versions == null) {
            throw ServingException.notFound("Servable not found for request: " + request);
        }
        if (request.version().isEmpty()) {
            return versions.descendingMap().values().stream()
                    .filter(view -> view.loaded() != null)
                    .findFirst()
                    .map(VersionView::loaded)
                    .orElseThrow(() -> ServingException.unavailable("Servable " + request
                            + " is not available: no version is AVAILABLE (" + describe(versions) + ")"));
        }
        VersionView view = versions.get(request.version().getAsLong());
        if (view == null) {
            throw ServingException.notFound("Servable not found for request: " + request);
        }
        if (view.loaded() == null) {
            throw ServingException.unavailable("Servable " + request + " is not available: " + view.whyNotAvailable());
        }
        return view.loaded();
    }

    SortedSet<Long> availableVersions(String name) {
        NavigableMap<Long, VersionView> versions = streams.getOrDefault(name, Collections.emptyNavigableMap());
        SortedSet<Long> available = new TreeSet<>();
        versions.forEach((version, view) -> {
            if (view.loaded() != null) {
                available.add(version);
            }
        });
        return Collections.unmodifiableSortedSet(available);
    }

    Set<String> names() {
        return streams.keySet();
    }

    private static String describe(NavigableMap<Long, VersionView> versions) {
        return versions.entrySet().stream()
                .map(entry -> "version " + entry.getKey() + ": " + entry.getValue().whyNotAvailable())
                .collect(Collectors.joining("; "));
    }
}
