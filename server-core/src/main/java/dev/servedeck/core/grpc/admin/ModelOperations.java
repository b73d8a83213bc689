package dev.servedeck.core.grpc.admin;

import dev.servedeck.proto.config.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import dev.servedeck.proto.config.ModelServerConfig;

/**
 * The per-model operations the admin API offers, each applied as TF Serving's ReloadConfig would apply it and
 * returning once the models it touched have loaded or failed to. Failures are {@code ServingException}s with TF
 * Serving's codes; a refused call changes nothing (but see {@link #replaceConfig}).
 *
 * <p>The seam between the admin API and the core's model administration: the API depends on this interface only,
 * so that it does not care which implementation applies the rules.
 */
public interface ModelOperations {

    /** Adds a model; ALREADY_EXISTS for a name in use. */
    void addModel(String name, String basePath, ServableVersionPolicy policy);

    /** Removes a model; NOT_FOUND for an unknown one. */
    void removeModel(String name);

    /** Replaces a model's version policy. */
    void setVersionPolicy(String model, ServableVersionPolicy policy);

    /** Serves one more version of a model. */
    void loadVersion(String model, long version);

    /** Stops serving one version of a model. */
    void unloadVersion(String model, long version);

    /** Sets a label, or moves it to {@code version}. */
    void setLabel(String model, String label, long version);

    /** Removes a label. */
    void removeLabel(String model, String label);

    /**
     * Replaces the whole model config, as an operator opening a config file does (the console's Open): when a label
     * points at a version that is not available, the models are applied with the labels that can serve, then
     * FAILED_PRECONDITION names the refused label. Any other refusal changes nothing.
     */
    void replaceConfig(ModelServerConfig config);
}
