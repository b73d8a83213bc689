package dev.servedeck.core.servable;

import java.util.Objects;
import java.util.OptionalLong;

/** Which version of a model a request wants: the latest available one, or a specific number. */
public record ServableRequest(String name, OptionalLong version) {

    public ServableRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    public static ServableRequest latest(String name) {
        return new ServableRequest(name, OptionalLong.empty());
    }

    public static ServableRequest specific(String name, long version) {
        return new ServableRequest(name, OptionalLong.of(version));
    }

    /** TF Serving's wording, used in "Servable not found for request: ..." errors. */
    @Override
    public String toString() {
        return version.isPresent() ? "Specific(" + name + ", " + version.getAsLong() + ")" : "Latest(" + name + ")";
    }
}
