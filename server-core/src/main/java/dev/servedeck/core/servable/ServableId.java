package dev.servedeck.core.servable;

import java.util.Comparator;
import java.util.Objects;

/** One version of one model ("servable stream" name plus version number), as in TF Serving. */
public record ServableId(String name, long version) implements Comparable<ServableId> {

    private static final Comparator<ServableId> ORDER =
            Comparator.comparing(ServableId::name).thenComparingLong(ServableId::version);

    public ServableId {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(ServableId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return "{name: " + name + " version: " + version + "}";
    }
}
