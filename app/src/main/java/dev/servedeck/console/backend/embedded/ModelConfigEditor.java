package dev.servedeck.console.backend.embedded;

import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.proto.config.FileSystemStoragePathSourceConfig;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelConfigList;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.function.UnaryOperator;

/**
 * The console's model operations as edits of a TF Serving {@code ModelServerConfig}: every change the
 * console makes is a new config applied with ReloadConfig, exactly what a TF Serving operator would do by
 * hand, so the result can always be saved as a config file. Pure functions; they throw
 * {@link IllegalArgumentException} with a message for the operator when an edit makes no sense.
 */
final class ModelConfigEditor {

    private ModelConfigEditor() {
    }

    static ModelServerConfig addModel(ModelServerConfig config, String name, Path basePath,
            ServableVersionPolicy policy) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A model needs a name");
        }
        if (find(config, name) >= 0) {
            throw new IllegalArgumentException("A model named '" + name + "' is already served");
        }
        ModelConfig model = ModelConfig.newBuilder()
                .setName(name)
                .setBasePath(basePath.toAbsolutePath().toString())
                .setModelPlatform("tensorflow")
                .setModelVersionPolicy(toProto(policy))
                .build();
        return rebuild(config, config.getModelConfigList().toBuilder().addConfig(model).build());
    }

    static ModelServerConfig removeModel(ModelServerConfig config, String name) {
        int index = require(config, name);
        return rebuild(config, config.getModelConfigList().toBuilder().removeConfig(index).build());
    }

    static ModelServerConfig setPolicy(ModelServerConfig config, String name, ServableVersionPolicy policy) {
        return edit(config, name, model -> model.toBuilder().setModelVersionPolicy(toProto(policy)).build());
    }

    static ModelServerConfig setLabel(ModelServerConfig config, String name, String label, long version) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("A label needs a name");
        }
        if (!label.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("A label may hold letters, digits, '_', '.' and '-' only: " + label);
        }
        return edit(config, name, model -> model.toBuilder().putVersionLabels(label, version).build());
    }

    static ModelServerConfig removeLabel(ModelServerConfig config, String name, String label) {
        return edit(config, name, model -> {
            if (!model.containsVersionLabels(label)) {
                throw new IllegalArgumentException("Model '" + name + "' has no label '" + label + "'");
            }
            return model.toBuilder().removeVersionLabels(label).build();
        });
    }

    /** The config with only the labels {@code keep} accepts (model name, version). */
    static ModelServerConfig keepLabels(ModelServerConfig config, java.util.function.BiPredicate<String, Long> keep) {
        ModelConfigList.Builder list = config.getModelConfigList().toBuilder();
        for (int i = 0; i < list.getConfigCount(); i++) {
            ModelConfig model = list.getConfig(i);
            ModelConfig.Builder kept = model.toBuilder().clearVersionLabels();
            model.getVersionLabelsMap().forEach((label, version) -> {
                if (keep.test(model.getName(), version)) {
                    kept.putVersionLabels(label, version);
                }
            });
            list.setConfig(i, kept.build());
        }
        return rebuild(config, list.build());
    }

    /** The config with every model's version labels removed (to compare the models alone). */
    static ModelServerConfig withoutLabels(ModelServerConfig config) {
        ModelConfigList.Builder list = ModelConfigList.newBuilder();
        for (ModelConfig model : config.getModelConfigList().getConfigList()) {
            list.addConfig(model.toBuilder().clearVersionLabels());
        }
        return rebuild(config, list.build());
    }

    static ModelConfig model(ModelServerConfig config, String name) {
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
                    .addAllVersions((SortedSet<Long>) specific.versions()));
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
            throw new IllegalArgumentException("No model named '" + name + "' is configured");
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
