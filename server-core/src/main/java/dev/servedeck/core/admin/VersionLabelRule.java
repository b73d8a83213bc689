package dev.servedeck.core.admin;

import dev.servedeck.core.status.ServingException;
import java.util.OptionalLong;
import java.util.Set;

/**
 * When a version label may point at a version, TF Serving's rule ({@code ServerCore::UpdateModelVersionLabelMap}):
 * at an AVAILABLE version, always; at a version that is not AVAILABLE only with
 * {@code --allow_version_labels_for_unavailable_models}, and then only for a label that is new or keeps its
 * version (moving a label in force to a version that cannot serve would break its clients at once). The one
 * place this rule lives: ServerCore checks every config against it, {@link ModelAdministration} checks single
 * edits before applying them.
 */
public final class VersionLabelRule {

    private final boolean allowUnavailable;

    /** @param allowUnavailable {@code --allow_version_labels_for_unavailable_models} */
    public VersionLabelRule(boolean allowUnavailable) {
        this.allowUnavailable = allowUnavailable;
    }

    /**
     * Whether {@code label} may point at {@code version}.
     *
     * @param inForce the version the label points at now, if it exists
     * @param available the model's AVAILABLE versions
     */
    public boolean allows(long version, OptionalLong inForce, Set<Long> available) {
        if (available.contains(version)) {
            return true;
        }
        boolean moves = inForce.isPresent() && inForce.getAsLong() != version;
        return allowUnavailable && !moves;
    }

    /**
     * As {@link #allows}, refusing in TF Serving's words.
     *
     * @throws ServingException FAILED_PRECONDITION when the label may not point there
     */
    public void check(String model, String label, long version, OptionalLong inForce, Set<Long> available) {
        if (!allows(version, inForce, available)) {
            throw ServingException.failedPrecondition("Request to assign label " + label + " to version " + version
                    + " of model " + model + ", which is not currently available for inference");
        }
    }
}
