package dev.servedeck.core.oip;

/**
 * One row of the model repository extension's index: a model version and its state in the extension's words.
 *
 * @param version empty for a model with no version the server has seen (configured, nothing found yet)
 * @param state READY, LOADING, UNLOADING or UNAVAILABLE (Triton's names)
 * @param reason why the version is in that state, empty when there is nothing to say
 */
public record RepositoryEntry(String name, String version, String state, String reason) {

    public static final String READY = "READY";

    public boolean ready() {
        return READY.equals(state);
    }
}
