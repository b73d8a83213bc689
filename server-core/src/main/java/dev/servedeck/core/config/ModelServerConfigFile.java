package dev.servedeck.core.config;

import com.google.protobuf.TextFormat;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads TF Serving's {@code --model_config_file}: a {@link ModelServerConfig} in protobuf text format,
 * parsed by protobuf's own TextFormat on classes generated from TF Serving's field names and numbers, so
 * files written for tensorflow_model_server parse unchanged.
 */
public final class ModelServerConfigFile {

    private ModelServerConfigFile() {
    }

    /** Reads, parses and validates a config file; every problem is an INVALID_ARGUMENT naming the file. */
    public static ModelServerConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read model config file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses and validates config text; {@code origin} names it in error messages. */
    public static ModelServerConfig parse(String text, String origin) {
        ModelServerConfig.Builder builder = ModelServerConfig.newBuilder();
        try {
            TextFormat.getParser().merge(text, builder);
        } catch (TextFormat.ParseException e) {
            throw ServingException.invalidArgument("Invalid model config file " + origin + ": " + e.getMessage());
        }
        ModelServerConfig config = builder.build();
        validate(config, origin);
        return config;
    }

    /** Checks what TF Serving checks before applying a config. */
    public static void validate(ModelServerConfig config, String origin) {
        if (config.getConfigCase() == ModelServerConfig.ConfigCase.CUSTOM_MODEL_CONFIG) {
            throw ServingException.invalidArgument(
                    "Invalid model config " + origin + ": custom_model_config is not supported; use model_config_list");
        }
        Set<String> names = new HashSet<>();
        for (ModelConfig model : config.getModelConfigList().getConfigList()) {
            String where = "Invalid model config " + origin + ": ";
            if (model.getName().isEmpty()) {
                throw ServingException.invalidArgument(where + "a model has no name");
            }
            if (!names.add(model.getName())) {
                throw ServingException.invalidArgument(where + "Illegal to list model " + model.getName()
                        + " multiple times in config list");
            }
            if (model.getBasePath().isEmpty()) {
                throw ServingException.invalidArgument(where + "model " + model.getName() + " has no base_path");
            }
            String platform = model.getModelPlatform();
            if (!platform.isEmpty() && !platform.equals("tensorflow")) {
                throw ServingException.invalidArgument(where + "model " + model.getName()
                        + " has model_platform '" + platform + "'; only 'tensorflow' is served");
            }
            if (model.getModelVersionPolicy().hasSpecific()
                    && model.getModelVersionPolicy().getSpecific().getVersionsCount() == 0) {
                throw ServingException.invalidArgument(where + "model " + model.getName()
                        + " has a specific version policy with no versions");
            }
            double rate = model.getLoggingConfig().getSamplingConfig().getSamplingRate();
            if (rate < 0 || rate > 1) {
                throw ServingException.invalidArgument(where + "model " + model.getName()
                        + " has sampling_rate " + rate + " outside [0, 1]");
            }
        }
    }

    /** The config in text format, as a file tensorflow_model_server reads. */
    public static String format(ModelServerConfig config) {
        return TextFormat.printer().printToString(config);
    }
}
