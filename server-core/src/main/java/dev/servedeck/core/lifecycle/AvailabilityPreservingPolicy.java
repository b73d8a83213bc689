package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.ManagerState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * TF Serving's default policy: a new version is loaded, and becomes AVAILABLE, before the version it
 * replaces is unloaded, so a stream that serves keeps serving through a swap. It costs memory for two
 * versions during the swap. If the new version fails to load, the old one simply stays.
 *
 * <p>Unloads come first: the lowest-numbered unaspired AVAILABLE version is unloaded when the stream has
 * no aspired version at all, when an aspired version is already AVAILABLE, or when more than one
 * unaspired version is AVAILABLE (one of them is enough to bridge the gap). Otherwise the
 * highest-numbered aspired version that has not started loading is loaded.
 */
public final class AvailabilityPreservingPolicy implements AspiredVersionPolicy {

    private static final Comparator<AspiredServableStateSnapshot> BY_VERSION =
            Comparator.comparingLong(snapshot -> snapshot.id().version());

    @Override
    public Optional<ServableAction> nextAction(List<AspiredServableStateSnapshot> versionsOfOneStream) {
        Optional<ServableAction> unload = nextUnload(versionsOfOneStream);
        return unload.isPresent() ? unload : nextLoad(versionsOfOneStream);
    }

    private static Optional<ServableAction> nextUnload(List<AspiredServableStateSnapshot> versions) {
        boolean hasAspired = versions.stream().anyMatch(AspiredServableStateSnapshot::aspired);
        boolean hasAspiredAvailable = versions.stream()
                .anyMatch(v -> v.aspired() && v.state() == ManagerState.AVAILABLE);
        List<AspiredServableStateSnapshot> unaspiredAvailable = versions.stream()
                .filter(v -> !v.aspired() && v.state() == ManagerState.AVAILABLE)
                .toList();
        if (unaspiredAvailable.isEmpty()) {
            return Optional.empty();
        }
        if (!hasAspired || hasAspiredAvailable || unaspiredAvailable.size() > 1) {
            return unaspiredAvailable.stream().min(BY_VERSION).map(v -> ServableAction.unload(v.id()));
        }
        return Optional.empty();
    }

    private static Optional<ServableAction> nextLoad(List<AspiredServableStateSnapshot> versions) {
        return versions.stream()
                .filter(v -> v.aspired() && v.state() == ManagerState.START)
                .max(BY_VERSION)
                .map(v -> ServableAction.load(v.id()));
    }
}
