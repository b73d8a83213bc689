package dev.servedeck.core.source;

import dev.servedeck.core.lifecycle.AspiredVersion;
import dev.servedeck.core.lifecycle.AspiredVersionsCallback;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every aspired set the source gives it. */
final class RecordingTarget implements AspiredVersionsCallback {

    record Call(String name, List<AspiredVersion> versions, Thread thread) {

        List<Long> versionNumbers() {
            return versions.stream().map(v -> v.id().version()).toList();
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public void setAspiredVersions(String servableName, List<AspiredVersion> versions) {
        calls.add(new Call(servableName, List.copyOf(versions), Thread.currentThread()));
    }

    List<Call> calls() {
        return calls;
    }

    List<Call> callsFor(String name) {
        return calls.stream().filter(call -> call.name().equals(name)).toList();
    }

    Call last() {
        return calls.get(calls.size() - 1);
    }

    void clear() {
        calls.clear();
    }
}
