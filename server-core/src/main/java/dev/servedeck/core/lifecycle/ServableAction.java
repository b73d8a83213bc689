package dev.servedeck.core.lifecycle;

import dev.servedeck.core.servable.ServableId;
import java.util.Objects;

/** What an {@link AspiredVersionPolicy} asks the manager to do next with one version. */
public record ServableAction(Action action, ServableId id) {

    public enum Action {
        LOAD,
        UNLOAD
    }

    public ServableAction {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(id, "id");
    }

    public static ServableAction load(ServableId id) {
        return new ServableAction(Action.LOAD, id);
    }

    public static ServableAction unload(ServableId id) {
        return new ServableAction(Action.UNLOAD, id);
    }
}
