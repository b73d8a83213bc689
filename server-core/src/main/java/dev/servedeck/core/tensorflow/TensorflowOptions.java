package dev.servedeck.core.tensorflow;

import java.util.Objects;
import java.util.Set;
import org.tensorflow.proto.ConfigProto;

/**
 * How SavedModels are loaded and run.
 *
 * @param tags the MetaGraphDef to load: the one whose tag set equals this set (TF Serving's
 *     {@code --saved_model_tags}, default {@code serve})
 * @param sessionConfig the rest of the session's ConfigProto (TF Serving's {@code --tensorflow_session_config_file},
 *     or a platform config's {@code session_config}): device counts, GPU options, graph options ... passed to
 *     every session as they are; the two parallelism fields come from {@code intraOpParallelism} and
 *     {@code interOpParallelism}
 * @param intraOpParallelism threads inside one op; 0 lets TensorFlow choose
 * @param interOpParallelism ops run in parallel; 0 lets TensorFlow choose; -1 runs every op on the calling
 *     thread (TensorFlow's ConfigProto semantics)
 * @param signatureMethodNameCheck whether Classify and Regress require a signature whose method name is
 *     {@code tensorflow/serving/classify} or {@code .../regress} (TF Serving's
 *     {@code --enable_signature_method_name_check}, default false: TF2 exports name every signature
 *     {@code tensorflow/serving/predict}, and TF Serving still classifies and regresses with them)
 * @param warmup how recorded warmup requests are replayed at load
 */
public record TensorflowOptions(Set<String> tags, ConfigProto sessionConfig, int intraOpParallelism,
        int interOpParallelism, boolean signatureMethodNameCheck, ModelWarmupOptions warmup) {

    public static final String SERVE_TAG = "serve";

    /** Inter-op parallelism that runs every op on the thread that called the session (TF's -1). */
    public static final int CALLING_THREAD = -1;

    public TensorflowOptions {
        tags = Set.copyOf(Objects.requireNonNull(tags, "tags"));
        Objects.requireNonNull(sessionConfig, "sessionConfig");
        Objects.requireNonNull(warmup, "warmup");
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("at least one SavedModel tag is required");
        }
        if (intraOpParallelism < 0) {
            throw new IllegalArgumentException("intra-op parallelism must be >= 0 (0 = TensorFlow's default)");
        }
        if (interOpParallelism < -1) {
            throw new IllegalArgumentException(
                    "inter-op parallelism must be >= -1 (0 = TensorFlow's default, -1 = the calling thread)");
        }
    }

    /**
     * Tag {@code serve}, TensorFlow's intra-op pool, and every op run on the calling thread. Each request
     * already has a thread of its own (a REST or gRPC worker, or a batch thread), so handing ops to
     * TensorFlow's inter-op pool only adds a thread switch per run: on 2 cores it cost about 70 us at
     * concurrency 1 and 10-30% of throughput at concurrency 64 for half_plus_two.
     */
    public static TensorflowOptions defaults() {
        return new TensorflowOptions(Set.of(SERVE_TAG), ConfigProto.getDefaultInstance(), 0, CALLING_THREAD, false,
                ModelWarmupOptions.defaults());
    }

    public TensorflowOptions withTags(Set<String> newTags) {
        return new TensorflowOptions(newTags, sessionConfig, intraOpParallelism, interOpParallelism,
                signatureMethodNameCheck, warmup);
    }

    public TensorflowOptions withSessionConfig(ConfigProto config) {
        return new TensorflowOptions(tags, config, intraOpParallelism, interOpParallelism, signatureMethodNameCheck,
                warmup);
    }

    /**
     * The session config from a file (TF Serving's {@code --tensorflow_session_config_file}, or a platform
     * config's {@code session_config}). Its parallelism fields replace ours where it sets them; left at 0 they
     * keep ours, so ServeDeck's inter-op work stays on the calling thread unless the file asks otherwise.
     */
    public TensorflowOptions usingSessionConfig(ConfigProto config) {
        return withSessionConfig(config).withParallelism(
                config.getIntraOpParallelismThreads() != 0 ? config.getIntraOpParallelismThreads() : intraOpParallelism,
                config.getInterOpParallelismThreads() != 0 ? config.getInterOpParallelismThreads() : interOpParallelism);
    }

    public TensorflowOptions withParallelism(int intraOp, int interOp) {
        return new TensorflowOptions(tags, sessionConfig, intraOp, interOp, signatureMethodNameCheck, warmup);
    }

    public TensorflowOptions withSignatureMethodNameCheck(boolean check) {
        return new TensorflowOptions(tags, sessionConfig, intraOpParallelism, interOpParallelism, check, warmup);
    }

    public TensorflowOptions withWarmup(ModelWarmupOptions newWarmup) {
        return new TensorflowOptions(tags, sessionConfig, intraOpParallelism, interOpParallelism,
                signatureMethodNameCheck, newWarmup);
    }

    /** What every session of a loaded model is created with. */
    ConfigProto toConfigProto() {
        return sessionConfig.toBuilder()
                .setIntraOpParallelismThreads(intraOpParallelism)
                .setInterOpParallelismThreads(interOpParallelism)
                .build();
    }
}
