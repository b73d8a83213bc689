package dev.servedeck.core.server;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.grpc.admin.ModelOperations;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelConfigList;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The admin API's per-model operations as edits of the model config in force, applied with
 * {@link ServerCore#reloadConfig} (which checks the whole config, the allowlist and the labels).
 *
 * <p>Interim: issue 17 moves these rules into the core's own model administration (core.admin), built in parallel.
 * When it lands, {@link ModelServer} hands the admin API an adapter over it instead of this class, and this class goes.
 * Operations run one at a time, each reading the config in force and applying its edit before the next reads.
 */
final class ConfigEditingModelOperations implements ModelOperations {

    private final ServerCore core;
    private final Function<String, SortedMap<Long, ServableState>> versionStates;

    ConfigEditingModelOperations(ServerCore core, Function<String, SortedMap<Long, ServableState>> versionStates) {
        this.core = core;
        this.versionStates = versionStates;
    }

    @Override
    public synchronized void addModel(String name, String basePath, ServableVersionPolicy policy) {
        if (name.isBlank() || basePath.isBlank()) {
            throw ServingException.invalidArgument("A model needs a name and a base path");
        }
        if (find(name) != null) {
            throw new ServingException(Code.ALREADY_EXISTS, "A model named " + name + " is already served");
        }
        ModelConfig.Builder model = ModelConfig.newBuilder().setName(name).setBasePath(basePath)
                .setModelPlatform("tensorflow");
        if (policy.getPolicyChoiceCase() != ServableVersionPolicy.PolicyChoiceCase.POLICYCHOICE_NOT_SET) {
            model.setModelVersionPolicy(policy);
        }
        ModelServerConfig config = core.config();
        core.reloadConfig(config.toBuilder().setModelConfigList(
                config.getModelConfigList().toBuilder().addConfig(model)).build());
    }

    @Override
    public synchronized void removeModel(String name) {
        require(name);
        ModelConfigList.Builder list = ModelConfigList.newBuilder();
        core.config().getModelConfigList().getConfigList().stream()
                .filter(model -> !model.getName().equals(name)).forEach(list::addConfig);
        core.reloadConfig(core.config().toBuilder().setModelConfigList(list).build());
    }

    @Override
    public synchronized void setVersionPolicy(String model, ServableVersionPolicy policy) {
        if (policy.getPolicyChoiceCase() == ServableVersionPolicy.PolicyChoiceCase.POLICYCHOICE_NOT_SET) {
            throw ServingException.invalidArgument("A version policy is required (latest, all or specific)");
        }
        edit(model, config -> config.toBuilder().setModelVersionPolicy(policy).build());
    }

    @Override
    public synchronized void loadVersion(String model, long version) {
        ModelConfig config = require(model);
        if (!Files.isDirectory(Path.of(config.getBasePath(), Long.toString(version)))) {
            throw ServingException.notFound("Model " + model + " has no version folder " + version + " under "
                    + config.getBasePath());
        }
        TreeSet<Long> versions = servedVersions(model);
        versions.add(version);
        edit(model, specific(versions));
    }

    @Override
    public synchronized void unloadVersion(String model, long version) {
        ModelConfig config = require(model);
        TreeSet<Long> versions = servedVersions(model);
        if (!versions.remove(version)) {
            throw new ServingException(Code.FAILED_PRECONDITION, "Version " + version + " of model " + model
                    + " is not served");
        }
        for (Map.Entry<String, Long> label : config.getVersionLabelsMap().entrySet()) {
            if (label.getValue() == version) {
                throw new ServingException(Code.FAILED_PRECONDITION, "Label " + label.getKey() + " points at version "
                        + version + " of model " + model + ": move or remove it first");
            }
        }
        if (versions.isEmpty()) {
            throw new ServingException(Code.FAILED_PRECONDITION, "Version " + version + " is the only version of model "
                    + model + " served: remove the model instead");
        }
        edit(model, specific(versions));
    }

    @Override
    public synchronized void setLabel(String model, String label, long version) {
        if (label.isBlank() || label.contains("/")) {
            throw ServingException.invalidArgument("A label is a non-empty URL path segment, was '" + label + "'");
        }
        edit(model, config -> config.toBuilder().putVersionLabels(label, version).build());
    }

    @Override
    public synchronized void removeLabel(String model, String label) {
        if (!require(model).containsVersionLabels(label)) {
            throw ServingException.notFound("Model " + model + " has no label " + label);
        }
        edit(model, config -> config.toBuilder().removeVersionLabels(label).build());
    }

    /** Versions that are serving or on their way to it (loading, or found and waiting). */
    private TreeSet<Long> servedVersions(String model) {
        TreeSet<Long> versions = new TreeSet<>();
        versionStates.apply(model).forEach((version, state) -> {
            if (state.state() != ManagerState.END && state.state() != ManagerState.UNLOADING) {
                versions.add(version);
            }
        });
        return versions;
    }

    private static UnaryOperator<ModelConfig> specific(TreeSet<Long> versions) {
        return config -> config.toBuilder().setModelVersionPolicy(ServableVersionPolicy.newBuilder()
                .setSpecific(ServableVersionPolicy.Specific.newBuilder().addAllVersions(versions))).build();
    }

    private void edit(String name, UnaryOperator<ModelConfig> change) {
        require(name);
        ModelConfigList.Builder list = ModelConfigList.newBuilder();
        for (ModelConfig model : core.config().getModelConfigList().getConfigList()) {
            list.addConfig(model.getName().equals(name) ? change.apply(model) : model);
        }
        core.reloadConfig(core.config().toBuilder().setModelConfigList(list).build());
    }

    private ModelConfig require(String name) {
        ModelConfig model = find(name);
        if (model == null) {
            throw ServingException.notFound("Could not find model " + name + " in the model config");
        }
        return model;
    }

    private ModelConfig find(String name) {
        return core.config().getModelConfigList().getConfigList().stream()
                .filter(model -> model.getName().equals(name)).findFirst().orElse(null);
    }
}
