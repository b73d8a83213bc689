package dev.servedeck.core.main;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * tensorflow_model_server flags that mean nothing in ServeDeck. Each is accepted, so that a script that starts
 * tensorflow_model_server starts ServeDeck unchanged, and named in a warning that says why it changes nothing.
 * A flag whose value asks for what ServeDeck does anyway ({@code honouredValue}) is not worth a warning.
 */
enum IgnoredFlag {

    GRPC_SOCKET_PATH("--grpc_socket_path", false, null,
            "gRPC on a UNIX socket is not supported yet; gRPC listens on --port only"),
    FLUSH_FILESYSTEM_CACHES("--flush_filesystem_caches", true, null,
            "ServeDeck keeps no TensorFlow file system caches to flush"),
    REMOVE_UNUSED_FIELDS_FROM_BUNDLE_METAGRAPH("--remove_unused_fields_from_bundle_metagraph", true, null,
            "ServeDeck keeps only what it needs of the MetaGraphDef anyway"),
    PREFER_TFLITE_MODEL("--prefer_tflite_model", true, "false",
            "TensorFlow Lite models are not supported; saved_model.pb is loaded"),
    USE_TFLITE_MODEL("--use_tflite_model", true, "false",
            "TensorFlow Lite models are not supported; saved_model.pb is loaded"),
    NUM_TFLITE_POOLS("--num_tflite_pools", false, null, "TensorFlow Lite models are not supported"),
    NUM_TFLITE_INTERPRETERS_PER_POOL("--num_tflite_interpreters_per_pool", false, null,
            "TensorFlow Lite models are not supported"),
    XLA_CPU_COMPILATION_ENABLED("--xla_cpu_compilation_enabled", true, null,
            "ServeDeck does not switch XLA JIT compilation on or off; models run as TensorFlow Java's natives run them"),
    XLA_GPU_COMPILATION_ENABLED("--xla_gpu_compilation_enabled", true, null,
            "ServeDeck does not switch XLA JIT compilation on or off; models run as TensorFlow Java's natives run them"),
    ENABLE_PROFILER("--enable_profiler", true, null, "TensorFlow's profiler service is not served"),
    THREAD_POOL_FACTORY_CONFIG_FILE("--thread_pool_factory_config_file", false, null,
            "custom thread pool factories are not supported; --tensorflow_*_parallelism size TensorFlow's pools"),
    MIXED_PRECISION("--mixed_precision", false, null, "mixed precision graph rewriting is not supported"),
    SKIP_INITIALIZE_TPU("--skip_initialize_tpu", true, null, "ServeDeck has no TPU support to initialize"),
    ENABLE_GRPC_HEALTHCHECK_SERVICE("--enable_grpc_healthcheck_service", true, "true",
            "ServeDeck always serves the standard gRPC health service"),
    ENABLE_SERIALIZATION_AS_TENSOR_CONTENT("--enable_serialization_as_tensor_content", true, "true",
            "ServeDeck always writes numeric Predict outputs as tensor_content");

    private final String flag;
    private final boolean takesBoolean;
    /** The value that asks for what ServeDeck does anyway, or null if every value is ignored. */
    private final String honouredValue;
    private final String why;

    IgnoredFlag(String flag, boolean takesBoolean, String honouredValue, String why) {
        this.flag = flag;
        this.takesBoolean = takesBoolean;
        this.honouredValue = honouredValue;
        this.why = why;
    }

    String flag() {
        return flag;
    }

    String why() {
        return why;
    }

    /** Declares every ignored flag on the command: booleans as tensorflow_model_server takes them (bare or =true/false). */
    static void declareOn(CommandSpec command) {
        for (IgnoredFlag ignored : values()) {
            OptionSpec.Builder option = OptionSpec.builder(ignored.flag)
                    .type(String.class)
                    .hidden(true)
                    .description("Accepted for compatibility with tensorflow_model_server; ignored: " + ignored.why + ".");
            if (ignored.takesBoolean) {
                option.arity("0..1").fallbackValue("true").paramLabel("BOOL");
            } else {
                option.arity("1").paramLabel("VALUE");
            }
            command.addOption(option.build());
        }
    }

    /** One warning per ignored flag the command line gave, naming it and its value. */
    static List<String> warnings(ParseResult parsed) {
        List<String> warnings = new ArrayList<>();
        for (IgnoredFlag ignored : values()) {
            Optional<String> value = Optional.ofNullable(parsed.matchedOption(ignored.flag))
                    .map(option -> option.getValue().toString());
            // An empty value is no value, as tensorflow_model_server reads its string flags ("if non-empty").
            if (value.isPresent() && !value.get().isEmpty()
                    && !value.get().equalsIgnoreCase(String.valueOf(ignored.honouredValue))) {
                warnings.add(ignored.flag + "=" + value.get() + " is accepted for compatibility with "
                        + "tensorflow_model_server and ignored: " + ignored.why);
            }
        }
        return warnings;
    }
}
