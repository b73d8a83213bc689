package dev.servedeck.core.lifecycle;

import java.util.List;
import java.util.Optional;

/**
 * Decides the next load or unload of one servable stream (TF Serving's AspiredVersionPolicy). A pure
 * function: the manager calls it again after every action it takes, so a policy returns one action at a
 * time and never needs memory of its own.
 */
@FunctionalInterface
public interface AspiredVersionPolicy {

    /**
     * @param versionsOfOneStream every version of one stream the manager holds, in no particular order
     * @return the action to take now, or empty when the stream is where it should be
     */
    Optional<ServableAction> nextAction(List<AspiredServableStateSnapshot> versionsOfOneStream);
}
