package dev.servedeck.core.main;

import dev.servedeck.core.config.SessionConfigFile;
import dev.servedeck.core.tensorflow.ModelWarmupOptions;
import dev.servedeck.core.tensorflow.TensorflowOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import picocli.CommandLine.Option;

/**
 * tensorflow_model_server's flags for how SavedModels load and run, turned into {@link TensorflowOptions} in
 * TF Serving's order: the session config file first, then the flags that override parts of it.
 */
final class TensorflowFlags {

    private static final Logger LOG = LoggerFactory.getLogger(TensorflowFlags.class);

    /** The flags a {@code --platform_config_file} replaces, as in TF Serving (the method name check stays). */
    static final List<String> REPLACED_BY_PLATFORM_CONFIG = List.of("--saved_model_tags",
            "--tensorflow_session_parallelism", "--tensorflow_intra_op_parallelism", "--tensorflow_inter_op_parallelism",
            "--tensorflow_session_config_file", "--per_process_gpu_memory_fraction", "--enable_model_warmup",
            "--num_request_iterations_for_warmup");

    @Option(names = "--saved_model_tags", paramLabel = "TAGS", defaultValue = "serve",
            description = "Comma-separated tags of the MetaGraph to load (default ${DEFAULT-VALUE}).")
    String savedModelTags;

    @Option(names = "--tensorflow_session_parallelism", paramLabel = "N", defaultValue = "0",
            description = "Threads for a TensorFlow session: when non-zero, both the intra-op and the inter-op "
                    + "parallelism, unless one of those flags is given (as tensorflow_model_server).")
    long sessionParallelism;

    @Option(names = "--tensorflow_intra_op_parallelism", paramLabel = "N",
            description = "Threads for one TensorFlow op; 0 lets TensorFlow choose (default: the session config "
                    + "file's, else 0).")
    Integer intraOpParallelism;

    @Option(names = "--tensorflow_inter_op_parallelism", paramLabel = "N",
            description = "Threads for independent TensorFlow ops; 0 lets TensorFlow choose; -1 (ServeDeck's "
                    + "default, unless the session config file sets it) runs them on the request's own thread.")
    Integer interOpParallelism;

    @Option(names = "--tensorflow_session_config_file", paramLabel = "FILE", converter = PathOrUnset.class,
            description = "A TensorFlow session ConfigProto in protobuf text format, passed to every session; the "
                    + "parallelism flags override its thread counts.")
    Path sessionConfigFile;

    @Option(names = "--per_process_gpu_memory_fraction", paramLabel = "FRACTION", defaultValue = "0",
            description = "Share of GPU memory TensorFlow may take (session gpu_options); has an effect only with "
                    + "TensorFlow's GPU natives. 0 (default) lets TensorFlow choose.")
    double perProcessGpuMemoryFraction;

    @Option(names = "--enable_signature_method_name_check", arity = "0..1", fallbackValue = "true",
            defaultValue = "false", description = "Classify and Regress only on signatures whose method name is "
                    + "tensorflow/serving/classify or .../regress (TF Serving's flag; default false, so TF2 exports, "
                    + "whose signatures are all .../predict, classify and regress too).")
    boolean enableSignatureMethodNameCheck;

    @Option(names = "--enable_model_warmup", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Replay a version's assets.extra/tf_serving_warmup_requests before it becomes AVAILABLE "
                    + "(TF Serving's flag; default ${DEFAULT-VALUE}).")
    boolean enableModelWarmup;

    @Option(names = "--num_request_iterations_for_warmup", paramLabel = "N", defaultValue = "0",
            description = "Times each warmup request is replayed; used only if > 0, else once (TF Serving's flag).")
    int numRequestIterationsForWarmup;

    /**
     * @throws IllegalArgumentException when all three parallelism flags are set (tensorflow_model_server refuses
     *     that too) or a value is out of range
     */
    TensorflowOptions options() {
        TensorflowOptions options = baseForPlatformConfig()
                .withTags(new LinkedHashSet<>(Arrays.asList(savedModelTags.split(","))))
                // As tensorflow_model_server: the iterations count only when positive, otherwise once.
                .withWarmup(new ModelWarmupOptions(enableModelWarmup, Math.max(1, numRequestIterationsForWarmup)));
        if (sessionConfigFile != null) {
            options = options.usingSessionConfig(SessionConfigFile.read(sessionConfigFile));
        }
        if (perProcessGpuMemoryFraction != 0) {
            options = options.withSessionConfig(withGpuMemoryFraction(options.sessionConfig()));
            LOG.warn("--per_process_gpu_memory_fraction={} goes into the session's gpu_options, as in "
                    + "tensorflow_model_server, but has an effect only with TensorFlow's GPU natives",
                    perProcessGpuMemoryFraction);
        }
        return withParallelismFlags(options);
    }

    /** What a platform config leaves to the flags: only the signature method name check. */
    TensorflowOptions baseForPlatformConfig() {
        return TensorflowOptions.defaults().withSignatureMethodNameCheck(enableSignatureMethodNameCheck);
    }

    /** tensorflow_model_server's rule: the per-op flags win; without them, session parallelism sets both. */
    private TensorflowOptions withParallelismFlags(TensorflowOptions options) {
        boolean perOp = positive(intraOpParallelism) || positive(interOpParallelism);
        if (positive(intraOpParallelism) && positive(interOpParallelism) && sessionParallelism > 0) {
            throw new IllegalArgumentException("Either configure --tensorflow_session_parallelism or "
                    + "(--tensorflow_intra_op_parallelism, --tensorflow_inter_op_parallelism) separately. You cannot "
                    + "configure all.");
        }
        if (sessionParallelism > Integer.MAX_VALUE || sessionParallelism < 0) {
            throw new IllegalArgumentException("--tensorflow_session_parallelism must be within 0.." + Integer.MAX_VALUE);
        }
        int intra = options.intraOpParallelism();
        int inter = options.interOpParallelism();
        if (!perOp && sessionParallelism > 0) {
            intra = (int) sessionParallelism;
            inter = (int) sessionParallelism;
        } else if (sessionParallelism > 0) {
            LOG.warn("--tensorflow_session_parallelism={} is ignored: --tensorflow_intra_op_parallelism or "
                    + "--tensorflow_inter_op_parallelism is given (as in tensorflow_model_server)", sessionParallelism);
        }
        return options.withParallelism(intraOpParallelism != null ? intraOpParallelism : intra,
                interOpParallelism != null ? interOpParallelism : inter);
    }

    private static boolean positive(Integer value) {
        return value != null && value > 0;
    }

    private ConfigProto withGpuMemoryFraction(ConfigProto config) {
        if (perProcessGpuMemoryFraction < 0 || perProcessGpuMemoryFraction > 1) {
            throw new IllegalArgumentException("--per_process_gpu_memory_fraction must be within 0..1, was "
                    + perProcessGpuMemoryFraction);
        }
        GPUOptions gpu = config.getGpuOptions().toBuilder()
                .setPerProcessGpuMemoryFraction(perProcessGpuMemoryFraction).build();
        return config.toBuilder().setGpuOptions(gpu).build();
    }
}
