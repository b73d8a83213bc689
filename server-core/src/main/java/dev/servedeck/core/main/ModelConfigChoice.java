package dev.servedeck.core.main;

import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tensorflow.demo.DemoModelSet;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelConfigList;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which models to serve from the command line, in tensorflow_model_server's order of precedence:
 * {@code --model_config_file}, else {@code --model_name}/{@code --model_base_path}, else the container
 * convention {@code MODEL_NAME} / {@code MODEL_BASE_PATH} (base path {@code $MODEL_BASE_PATH/$MODEL_NAME},
 * {@code /models} by default); or ServeDeck's {@code --demo} models.
 */
record ModelConfigChoice(String modelName, String modelBasePath, Path modelConfigFile, boolean demo,
        Path demoModelsDir, Map<String, String> environment) {

    private static final Logger LOG = LoggerFactory.getLogger(ModelConfigChoice.class);

    ModelServerConfig resolve() {
        if (modelConfigFile != null) {
            if (modelBasePath != null) {
                LOG.warn("--model_config_file given: ignoring --model_base_path");
            }
            return ModelServerConfigFile.read(modelConfigFile);
        }
        if (demo) {
            return demoConfig();
        }
        String name = modelName != null ? modelName : environment.getOrDefault("MODEL_NAME", "default");
        String basePath = modelBasePath;
        if (basePath == null && environment.containsKey("MODEL_NAME")) {
            basePath = environment.getOrDefault("MODEL_BASE_PATH", "/models") + "/" + environment.get("MODEL_NAME");
        }
        if (basePath == null || basePath.isEmpty()) {
            throw ServingException.invalidArgument("Nothing to serve: give --model_base_path (with --model_name), "
                    + "--model_config_file, or --demo. See --help.");
        }
        return singleModel(name, basePath);
    }

    private ModelServerConfig demoConfig() {
        return DemoModelSet.ensure(demoModelsDir != null ? demoModelsDir : DemoModelSet.defaultRoot());
    }

    private static ModelServerConfig singleModel(String name, String basePath) {
        return ModelServerConfig.newBuilder()
                .setModelConfigList(ModelConfigList.newBuilder().addConfig(model(name, basePath)))
                .build();
    }

    private static ModelConfig model(String name, String basePath) {
        return ModelConfig.newBuilder().setName(name).setBasePath(basePath).setModelPlatform("tensorflow").build();
    }
}
