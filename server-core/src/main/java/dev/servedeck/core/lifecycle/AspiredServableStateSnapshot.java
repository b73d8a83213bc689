package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import java.util.Objects;

/**
 * What a policy sees of one version: its id, its state and whether a source still aspires it
 * (TF Serving's AspiredServableStateSnapshot). The state is the public {@link ManagerState} so that
 * policies can be written and tested outside this package: START means "new, not yet loading",
 * AVAILABLE means "ready".
 */
public record AspiredServableStateSnapshot(ServableId id, ManagerState state, boolean aspired) {

    public AspiredServableStateSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }
}
