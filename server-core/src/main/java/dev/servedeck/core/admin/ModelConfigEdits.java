package dev.servedeck.core.admin;

import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.FileSystemStoragePathSourceConfig;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelConfigList;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The model operations as edits of a TF Serving {@code ModelServerConfig}: every change is a new config
 * applied with ReloadConfig, exactly what a TF Serving operator would do by hand, so the config in force can
 * always be saved as a config file. Pure functions; they throw {@link ServingException} with a message for the
 * operator when an edit makes no sense (and then nothing is applied).
 *
 * <p>Public for the console's backend of a plain tensorflow_model_server, which cannot be asked to edit its config
 * and sends a whole config it edited with these same rules.
 */
public final class ModelConfigEdits {

    private ModelConfigEdits() {
    }

    public static ModelServerConfig addModel(ModelServerConfig config, String name, Path basePath,
            ServableVersionPolicy policy) {
        if (name == null || name.isBlank()) {
            throw ServingException.invalidArgument("A model needs a name");
        }
        if (find(config, name) >= 0) {
            throw new ServingException(Code.ALREADY_EXISTS, "A model named '" + name + "' is already served");
        }
        ModelConfig model = ModelConfig.newBuilder()
                .setName(name)
                .setBasePath(basePath.toAbsolutePath().toString())
                .setModelPlatform("tensorflow")
                .setModelVersionPolicy(toProto(policy))
                .build();
        return rebuild(config, config.getModelConfigList().toBuilder().addConfig(model).build());
    }

    public static ModelServerConfig removeModel(ModelServerConfig config, String name) {
        int index = require(config, name);
        return rebuild(config, config.getModelConfigList().toBuilder().removeConfig(index).build());
    }

    public static ModelServerConfig setPolicy(ModelServerConfig config, String name, ServableVersionPolicy policy) {
        return edit(config, name, model -> model.toBuilder().setModelVersionPolicy(toProto(policy)).build());
    }

    public static ModelServerConfig setLabel(ModelServerConfig config, String name, String label, long version) {
        return edit(config, name, model -> model.toBuilder().putVersionLabels(label, version).build());
    }

    public static ModelServerConfig removeLabel(ModelServerConfig config, String name, String label) {
        return edit(config, name, model -> {
            if (!model.containsVersionLabels(label)) {
                throw ServingException.notFound("Model '" + name + "' has no label '" + label + "'");
            }
            return model.toBuilder().removeVersionLabels(label).build();
        });
    }

    /** The config with only the labels {@code keep} accepts. */
    static ModelServerConfig keepLabels(ModelServerConfig config, LabelFilter keep) {
        ModelConfigList.Builder list = config.getModelConfigList().toBuilder();
        for (int i = 0; i < list.getConfigCount(); i++) {
            ModelConfig model = list.getConfig(i);
            ModelConfig.Builder kept = model.toBuilder().clearVersionLabels();
            model.getVersionLabelsMap().forEach((label, version) -> {
                if (keep.keeps(model.getName(), label, version)) {
                    kept.putVersionLabels(label, version);
                }
            });
            list.setConfig(i, kept.build());
        }
        return rebuild(config, list.build());
    }

    /** Which labels {@link #keepLabels} keeps. */
    @FunctionalInterface
    interface LabelFilter {
        boolean keeps(String model, String label, long version);
    }

    /** The config with every model's version labels removed (to compare the models alone). */
    static ModelServerConfig withoutLabels(ModelServerConfig config) {
        return keepLabels(config, (model, label, version) -> false);
    }

    /**
     * The model's config.
     *
     * @throws ServingException NOT_FOUND when no model of that name is configured
     */
    public static ModelConfig model(ModelServerConfig config, String name) {
        return config.getModelConfigList().getConfig(require(config, name));
    }

    static FileSystemStoragePathSourceConfig.ServableVersionPolicy toProto(ServableVersionPolicy policy) {
        var builder = FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder();
        if (policy instanceof ServableVersionPolicy.Latest latest) {
            builder.setLatest(FileSystemStoragePathSourceConfig.ServableVersionPolicy.Latest.newBuilder()
                    .setNumVersions(latest.numVersions()));
        } else if (policy instanceof ServableVersionPolicy.All) {
            builder.setAll(FileSystemStoragePathSourceConfig.ServableVersionPolicy.All.getDefaultInstance());
        } else if (policy instanceof ServableVersionPolicy.Specific specific) {
            builder.setSpecific(FileSystemStoragePathSourceConfig.ServableVersionPolicy.Specific.newBuilder()
                    .addAllVersions(specific.versions()));
        }
        return builder.build();
    }

    private static ModelServerConfig edit(ModelServerConfig config, String name, UnaryOperator<ModelConfig> change) {
        int index = require(config, name);
        ModelConfigList list = config.getModelConfigList();
        return rebuild(config, list.toBuilder().setConfig(index, change.apply(list.getConfig(index))).build());
    }

    private static ModelServerConfig rebuild(ModelServerConfig config, ModelConfigList list) {
        return config.toBuilder().setModelConfigList(list).build();
    }

    private static int require(ModelServerConfig config, String name) {
        int index = find(config, name);
        if (index < 0) {
            throw ServingException.notFound("No model named '" + name + "' is configured");
        }
        return index;
    }

    private static int find(ModelServerConfig config, String name) {
        var models = config.getModelConfigList().getConfigList();
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
