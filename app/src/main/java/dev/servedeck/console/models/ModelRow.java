package dev.servedeck.console.models;

import dev.servedeck.core.servable.ManagerState;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One row of the models tree, ready to show: a model (with its versions as children) or one version.
 *
 * @param model the model's name (on version rows too)
 * @param version empty on model rows
 * @param name what the first column shows: the model's name, or {@code version 2}
 * @param state the state in words, e.g. {@code AVAILABLE}, {@code END (failed to load)}, {@code 2 available}
 * @param tone the state whose colour the row takes (see StateStyles)
 * @param failed whether the state is an error (red)
 * @param labels labels: {@code stable → 2} on model rows, the labels naming the version on version rows
 * @param policy the version policy in TF Serving's words (model rows)
 * @param basePath where the versions are (model rows)
 * @param since when a version entered its state, local time (version rows; the state's tooltip)
 * @param details the error in the server's words, what a version waits for before it can load, or empty
 * @param versions the version rows of a model row (empty on version rows)
 */
public record ModelRow(String model, OptionalLong version, String name, String state, ManagerState tone,
        boolean failed, String labels, String policy, String basePath, String since, String details,
        List<ModelRow> versions) {

    public ModelRow {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(tone, "tone");
        versions = List.copyOf(versions);
    }

    public boolean isModel() {
        return version.isEmpty();
    }

    /** Identifies the row across refreshes (so the tree keeps selection and expansion). */
    public String key() {
        return version.isEmpty() ? model : model + ":" + version.getAsLong();
    }
}
