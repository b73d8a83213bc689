package dev.servedeck.core.admin;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.source.VersionFolderNames;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change to the models a server serves, in one place: add or remove a model, set its version policy,
 * load or unload one version, set, move or remove a version label, replace the whole config. Each operation
 * is an edit of the {@code ModelServerConfig} in force applied with {@link ServerCore#reloadConfig}, as a TF
 * Serving operator would apply it with ReloadConfig, so the config in force always says what is served and can
 * be saved as a config file. Each call returns once the models it touched have loaded (or failed to).
 *
 * <p>Bad input is refused with a {@link ServingException} before anything is applied, so a refused call
 * changes nothing: INVALID_ARGUMENT (a blank name, a label name that is not a URL segment, a base path that
 * is not a folder, a specific policy with no or negative versions, a base path outside the allowlist),
 * NOT_FOUND (an unknown model, label or version folder), ALREADY_EXISTS (a model name in use),
 * FAILED_PRECONDITION (a label on a version that is not AVAILABLE, see {@link VersionLabelRule}; unloading a
 * version that is not served, or one a label points at). The rules are listed in {@code docs/model-admin.md}.
 *
 * <p>Thread-safe: operations run one at a time, each reading the config in force and applying its edit.
 * Built by {@code ServerCore}, reached through {@code ServerCore.administration()}.
 */
public final class ModelAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(ModelAdministration.class);
    /** A label is a REST path segment ({@code /v1/models/m/labels/<label>}): no slashes, spaces or escapes. */

    private final ServerCore core;
    private final ModelStates states;
    private final VersionLabelRule labelRule;
    /** One operation at a time: each reads the config in force and must apply its edit before the next reads. */
    private final Object operationLock = new Object();

    /** For {@code ServerCore}: administers {@code core}, whose states {@code states} shows. */
    public ModelAdministration(ServerCore core, ModelStates states, VersionLabelRule labelRule) {
        this.core = Objects.requireNonNull(core, "core");
        this.states = Objects.requireNonNull(states, "states");
        this.labelRule = Objects.requireNonNull(labelRule, "labelRule");
    }

    /**
     * The config of one model served from {@code basePath} under TF Serving's default policy (the latest
     * version), as {@code --model_name}/{@code --model_base_path} ask for: what a server starts on.
     */
    public static ModelServerConfig singleModelConfig(String name, Path basePath) {
        return ModelConfigEdits.addModel(ModelServerConfig.getDefaultInstance(), name, basePath,
                new ServableVersionPolicy.Latest(1));
    }

    /** The config in force (what {@code ServerCore.config()} returns). */
    public ModelServerConfig config() {
        return core.config();
    }

    /**
     * Serves a new model from {@code basePath} (version folders named by number) under {@code policy}.
     *
     * @throws ServingException INVALID_ARGUMENT for a blank name or a base path that is not a folder,
     *     ALREADY_EXISTS when a model of that name is configured
     */
    public void addModel(String name, Path basePath, ServableVersionPolicy policy) {
        Objects.requireNonNull(basePath, "basePath");
        requireValid(policy);
        apply("Added model " + name + " from " + basePath, config -> {
            ModelServerConfig next = ModelConfigEdits.addModel(config, name, basePath, policy);
            if (!Files.isDirectory(basePath)) {
                throw ServingException.invalidArgument("The base path " + basePath + " is not a folder");
            }
            return next;
        });
    }

    /**
     * Stops serving a model: its versions unload once their in-flight requests finish; its labels go with it.
     *
     * @throws ServingException NOT_FOUND for an unknown model
     */
    public void removeModel(String name) {
        apply("Removed model " + name, config -> ModelConfigEdits.removeModel(config, name));
    }

    /**
     * Replaces a model's version policy (TF Serving's {@code model_version_policy}).
     *
     * @throws ServingException NOT_FOUND for an unknown model, INVALID_ARGUMENT for a specific policy with no
     *     or negative versions, FAILED_PRECONDITION when the policy would unload a version a label points at
     */
    public void setVersionPolicy(String model, ServableVersionPolicy policy) {
        requireValid(policy);
        apply("Version policy of " + model + " set to " + policy, config -> {
            ModelConfig current = ModelConfigEdits.model(config, model);
            SortedSet<Long> aspired = policy.select(new TreeSet<>(versionFolders(current).keySet()));
            refuseToStrandLabels(current, aspired, "The policy would unload");
            return ModelConfigEdits.setPolicy(config, model, policy);
        });
    }

    /**
     * Loads one more version, keeping those being served: the policy becomes {@code specific} with the
     * versions loading or served now plus this one.
     *
     * @throws ServingException NOT_FOUND for an unknown model or a version with no folder
     */
    public void loadVersion(String model, long version) {
        apply("Loaded " + model + " version " + version, config -> {
            ModelConfig current = ModelConfigEdits.model(config, model);
            if (!versionFolders(current).containsKey(version)) {
                throw ServingException.notFound("Model " + model + " has no version folder "
                        + Path.of(current.getBasePath()).resolve(Long.toString(version)));
            }
            SortedSet<Long> served = new TreeSet<>(states.servedVersions(model));
            served.add(version);
            return ModelConfigEdits.setPolicy(config, model, new ServableVersionPolicy.Specific(served));
        });
    }

    /**
     * Unloads one version, keeping the others being served (the policy becomes {@code specific}).
     *
     * @throws ServingException NOT_FOUND for an unknown model, FAILED_PRECONDITION when the version is not
     *     being served, is the only one served (remove the model instead), or a label points at it
     */
    public void unloadVersion(String model, long version) {
        apply("Unloaded " + model + " version " + version, config -> {
            ModelConfig current = ModelConfigEdits.model(config, model);
            SortedSet<Long> served = new TreeSet<>(states.servedVersions(model));
            if (!served.remove(version)) {
                throw ServingException.failedPrecondition("Version " + version + " of " + model
                        + " is not being served");
            }
            if (served.isEmpty()) {
                throw ServingException.failedPrecondition("Version " + version + " is the only version of " + model
                        + " being served; remove the model to stop serving it");
            }
            refuseToStrandLabels(current, served, "Unloading would remove");
            return ModelConfigEdits.setPolicy(config, model, new ServableVersionPolicy.Specific(served));
        });
    }

    /**
     * Points {@code label} at {@code version}, creating the label or moving it.
     *
     * @throws ServingException NOT_FOUND for an unknown model, INVALID_ARGUMENT for a label that is not made of
     *     letters, digits, '_', '.' and '-', FAILED_PRECONDITION when {@link VersionLabelRule} refuses the version
     */
    public void setLabel(String model, String label, long version) {
        if (label == null || label.isBlank()) {
            throw ServingException.invalidArgument("A label needs a name");
        }
        if (!LabelName.isValid(label)) {
            throw ServingException.invalidArgument(LabelName.RULE + ": " + label);
        }
        apply("Label " + label + " of " + model + " now points at version " + version, config -> {
            ModelConfigEdits.model(config, model);
            // Checked before applying: a refused label must never reach the config in force.
            labelRule.check(model, label, version, labelInForce(model, label), states.availableVersions(model));
            return ModelConfigEdits.setLabel(config, model, label, version);
        });
    }

    /**
     * Removes a label (requests naming it get NOT_FOUND from then on).
     *
     * @throws ServingException NOT_FOUND for an unknown model or label
     */
    public void removeLabel(String model, String label) {
        apply("Removed label " + label + " of " + model, config -> ModelConfigEdits.removeLabel(config, model, label));
    }

    /**
     * Replaces the whole config, exactly as TF Serving's ReloadConfig: models left out are unloaded, new ones
     * loaded, then the labels are checked; a refused label leaves the models applied and the labels as they were.
     *
     * @throws ServingException INVALID_ARGUMENT for an invalid config (nothing changes), FAILED_PRECONDITION
     *     when a label points at a version that is not AVAILABLE (the models are applied, the labels stay)
     */
    public void replaceConfig(ModelServerConfig config) {
        Objects.requireNonNull(config, "config");
        synchronized (operationLock) {
            core.reloadConfig(config);
            LOG.info("Replaced the model config ({} model(s))", config.getModelConfigList().getConfigCount());
        }
    }

    /**
     * As {@link #replaceConfig}, for an operator opening a config file: when a label is refused, the config is
     * applied again with only the labels that {@link VersionLabelRule} allows, so the config in force (and a
     * config saved from it) holds every label that serves and none that does not.
     *
     * @throws ServingException as {@link #replaceConfig}; FAILED_PRECONDITION after applying the models and
     *     the labels that serve, naming the refused label
     */
    public void replaceConfigKeepingServableLabels(ModelServerConfig config) {
        Objects.requireNonNull(config, "config");
        synchronized (operationLock) {
            try {
                core.reloadConfig(config);
                LOG.info("Replaced the model config ({} model(s))", config.getModelConfigList().getConfigCount());
            } catch (ServingException refusal) {
                boolean modelsApplied = ModelConfigEdits.withoutLabels(core.config())
                        .equals(ModelConfigEdits.withoutLabels(config));
                if (refusal.code() != Code.FAILED_PRECONDITION || !modelsApplied) {
                    throw refusal;
                }
                core.reloadConfig(ModelConfigEdits.keepLabels(config, (model, label, version) ->
                        labelRule.allows(version, labelInForce(model, label), states.availableVersions(model))));
                LOG.warn("Replaced the model config without the labels that point at unavailable versions: {}",
                        refusal.getMessage());
                throw ServingException.failedPrecondition(refusal.getMessage()
                        + " (the models were applied without the labels that point at unavailable versions)");
            }
        }
    }

    /**
     * The folder of one version of a model, as the file system source names it ({@code 00000123} is 123).
     *
     * @throws ServingException NOT_FOUND for an unknown model
     */
    public Optional<Path> versionFolder(String model, long version) {
        return Optional.ofNullable(versionFolders(ModelConfigEdits.model(core.config(), model)).get(version));
    }

    private void apply(String description, Edit edit) {
        synchronized (operationLock) {
            ModelServerConfig next = edit.apply(core.config());
            core.reloadConfig(next);
            LOG.info("{}", description);
        }
    }

    @FunctionalInterface
    private interface Edit {
        ModelServerConfig apply(ModelServerConfig config);
    }

    private OptionalLong labelInForce(String model, String label) {
        Long version = core.versionLabels(model).get(label);
        return version == null ? OptionalLong.empty() : OptionalLong.of(version);
    }

    /**
     * Refuses an edit after which a label would point at a version no longer served, as the label check of the
     * reload would (models applied, labels refused, config and labels disagreeing): better to say so first.
     */
    private void refuseToStrandLabels(ModelConfig model, Set<Long> stillServed, String what) {
        for (Map.Entry<String, Long> label : new TreeMap<>(model.getVersionLabelsMap()).entrySet()) {
            long version = label.getValue();
            if (!labelRule.allows(version, OptionalLong.of(version), stillServed)) {
                throw ServingException.failedPrecondition(what + " version " + version + " of " + model.getName()
                        + ", which label " + label.getKey() + " points at; move or remove the label first");
            }
        }
    }

    private static void requireValid(ServableVersionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (policy instanceof ServableVersionPolicy.Specific specific) {
            if (specific.versions().isEmpty()) {
                throw ServingException.invalidArgument("A specific version policy needs at least one version");
            }
            if (specific.versions().first() < 0) {
                throw ServingException.invalidArgument("Versions are not negative: " + specific.versions().first());
            }
        }
    }

    private static SortedMap<Long, Path> versionFolders(ModelConfig model) {
        try {
            return VersionFolderNames.list(Path.of(model.getBasePath()));
        } catch (IOException e) {
            throw ServingException.unavailable("Cannot list the version folders of " + model.getName() + " under "
                    + model.getBasePath() + ": " + e.getMessage());
        }
    }
}
