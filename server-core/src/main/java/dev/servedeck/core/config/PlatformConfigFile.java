package dev.servedeck.core.config;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import com.google.protobuf.TypeRegistry;
import dev.servedeck.core.batching.BatchingConfig;
import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tensorflow.ModelWarmupOptions;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import dev.servedeck.proto.config.PlatformConfig;
import dev.servedeck.proto.config.PlatformConfigMap;
import dev.servedeck.proto.config.SavedModelBundleSourceAdapterConfig;
import dev.servedeck.proto.config.SessionBundleConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads TF Serving's {@code --platform_config_file}: a {@link PlatformConfigMap} in protobuf text format whose
 * {@code tensorflow} platform holds a {@code SavedModelBundleSourceAdapterConfig}, written as
 * <pre>
 * platform_configs {
 *   key: "tensorflow"
 *   value {
 *     source_adapter_config {
 *       [type.googleapis.com/tensorflow.serving.SavedModelBundleSourceAdapterConfig] {
 *         legacy_config { session_config { intra_op_parallelism_threads: 2 } batching_parameters { ... } }
 *       }
 *     }
 *   }
 * }
 * </pre>
 * Its {@code SessionBundleConfig} is honoured where ServeDeck has the feature: the session config, batching
 * parameters (batching is on exactly when they are present), SavedModel tags and warmup. Fields it cannot honour,
 * other platforms and fields this version does not know are named in a warning and ignored.
 */
public final class PlatformConfigFile {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformConfigFile.class);

    /** The platform ServeDeck serves (ModelConfig.model_platform). */
    public static final String TENSORFLOW = "tensorflow";

    private static final TypeRegistry ADAPTER_CONFIGS = TypeRegistry.newBuilder()
            .add(SavedModelBundleSourceAdapterConfig.getDescriptor())
            .build();

    private PlatformConfigFile() {
    }

    /**
     * Reads the file and applies its tensorflow platform to {@code base} (which keeps what a platform config
     * does not set, such as the signature method name check).
     *
     * @throws ServingException INVALID_ARGUMENT naming the file when it cannot be read or parsed, has no
     *     tensorflow platform, or holds invalid batching parameters
     */
    public static TensorflowPlatform read(Path file, TensorflowOptions base) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), base);
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read platform config file " + file + ": " + e.getMessage());
        }
    }

    public static TensorflowPlatform parse(String text, String origin, TensorflowOptions base) {
        PlatformConfigMap map = parseMap(text, origin);
        for (String platform : map.getPlatformConfigsMap().keySet()) {
            if (!platform.equals(TENSORFLOW)) {
                LOG.warn("Platform config file {}: platform \"{}\" is not supported; ServeDeck serves only \"{}\" "
                        + "models. Ignoring it", origin, platform, TENSORFLOW);
            }
        }
        PlatformConfig tensorflow = map.getPlatformConfigsMap().get(TENSORFLOW);
        if (tensorflow == null) {
            throw ServingException.invalidArgument("Platform config file " + origin + " has no \"" + TENSORFLOW
                    + "\" platform: ServeDeck could load no model with it");
        }
        SessionBundleConfig bundle = sessionBundleConfig(tensorflow.getSourceAdapterConfig(), origin);
        warnAboutIgnoredFields(bundle, origin);
        return new TensorflowPlatform(tensorflowOptions(bundle, base), batching(bundle, origin));
    }

    private static PlatformConfigMap parseMap(String text, String origin) {
        PlatformConfigMap.Builder map = PlatformConfigMap.newBuilder();
        try {
            TextFormat.Parser.newBuilder().setTypeRegistry(ADAPTER_CONFIGS).build().merge(text, map);
            return map.build();
        } catch (TextFormat.ParseException strict) {
            if (!strict.getMessage().contains("unknown field")) {
                throw ServingException.invalidArgument("Invalid platform config file " + origin + ": " + strict.getMessage());
            }
            // A file written for a newer tensorflow_model_server: say which fields are skipped, use the rest.
            LOG.warn("Platform config file {}: ignoring fields ServeDeck does not know: {}", origin, strict.getMessage());
        }
        map.clear();
        try {
            TextFormat.Parser.newBuilder().setTypeRegistry(ADAPTER_CONFIGS).setAllowUnknownFields(true).build()
                    .merge(text, map);
            return map.build();
        } catch (TextFormat.ParseException e) {
            throw ServingException.invalidArgument("Invalid platform config file " + origin + ": " + e.getMessage());
        }
    }

    private static SessionBundleConfig sessionBundleConfig(Any adapterConfig, String origin) {
        if (!adapterConfig.is(SavedModelBundleSourceAdapterConfig.class)) {
            throw ServingException.invalidArgument("Platform config file " + origin + ": the tensorflow platform's "
                    + "source_adapter_config must be a tensorflow.serving.SavedModelBundleSourceAdapterConfig, was "
                    + (adapterConfig.getTypeUrl().isEmpty() ? "empty" : adapterConfig.getTypeUrl()));
        }
        try {
            return adapterConfig.unpack(SavedModelBundleSourceAdapterConfig.class).getLegacyConfig();
        } catch (InvalidProtocolBufferException e) {
            throw ServingException.invalidArgument("Platform config file " + origin + ": " + e.getMessage());
        }
    }

    private static TensorflowOptions tensorflowOptions(SessionBundleConfig bundle, TensorflowOptions base) {
        TensorflowOptions options = base.withTags(bundle.getSavedModelTagsCount() == 0
                ? Set.of(TensorflowOptions.SERVE_TAG)
                : new LinkedHashSet<>(bundle.getSavedModelTagsList()))
                .usingSessionConfig(bundle.getSessionConfig());
        int iterations = bundle.getModelWarmupOptions().getNumRequestIterations().getValue();
        // As TF Serving: warmup only when the config asks for it; the iterations count only when positive.
        return options.withWarmup(new ModelWarmupOptions(bundle.getEnableModelWarmup(), Math.max(1, iterations)));
    }

    private static BatchingConfig batching(SessionBundleConfig bundle, String origin) {
        if (!bundle.hasBatchingParameters()) {
            return BatchingConfig.disabled();
        }
        try {
            return BatchingConfig.enabled(BatchingOptions.fromProto(bundle.getBatchingParameters()));
        } catch (ServingException e) {
            throw ServingException.invalidArgument("Platform config file " + origin + ": " + e.getMessage());
        }
    }

    private static void warnAboutIgnoredFields(SessionBundleConfig bundle, String origin) {
        List<String> ignored = new ArrayList<>();
        Map.of(
                "session_target", !bundle.getSessionTarget().isEmpty(),
                "session_run_load_threadpool_index", bundle.hasSessionRunLoadThreadpoolIndex(),
                "experimental_transient_ram_bytes_during_load", bundle.getExperimentalTransientRamBytesDuringLoad() != 0,
                "experimental_fixed_input_tensors", bundle.getExperimentalFixedInputTensorsCount() > 0,
                "enable_session_metadata", bundle.getEnableSessionMetadata(),
                "remove_unused_fields_from_bundle_metagraph", bundle.getRemoveUnusedFieldsFromBundleMetagraph(),
                "use_tflite_model", bundle.getUseTfliteModel())
                .forEach((field, set) -> {
                    if (set) {
                        ignored.add(field);
                    }
                });
        if (!ignored.isEmpty()) {
            ignored.sort(null);
            LOG.warn("Platform config file {}: ServeDeck does not support {} of the tensorflow platform's "
                    + "SessionBundleConfig; ignoring them", origin, String.join(", ", ignored));
        }
    }
}
