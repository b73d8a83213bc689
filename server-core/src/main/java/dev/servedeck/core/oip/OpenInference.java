package dev.servedeck.core.oip;

import dev.servedeck.core.ExpectedCall;
import dev.servedeck.core.ModelMetadata;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.PredictResult;
import dev.servedeck.core.ServerHealth;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;

/**
 * The Open Inference Protocol's calls over the serving core: the one mapping both front ends use. An inference is
 * a Predict on the model's {@code serving_default} signature (or the one the {@code signature_name} parameter
 * names) through {@link ServingApi#predictAsync}, so batching, metrics, the request log and the tensor bounds
 * apply exactly as to TF Serving's API; the protocol's inputs and outputs are the signature's aliases.
 */
public final class OpenInference {

    /** What model metadata reports as the platform, as Triton names TensorFlow SavedModels. */
    public static final String PLATFORM = "tensorflow_savedmodel";
    /** Extensions this server serves (ServerMetadata lists them). */
    public static final List<String> EXTENSIONS = List.of("binary_tensor_data");
    /** Listed as well when the model repository extension is served (a server with a model administration). */
    public static final String MODEL_REPOSITORY_EXTENSION = "model_repository";
    /** Listed as well when the statistics extension is served (a server that measures). */
    public static final String STATISTICS_EXTENSION = "statistics";

    private static final String DEFAULT_SIGNATURE = "serving_default";
    /** A TF2 SavedModel's initializer, which is no signature to call or describe. */
    private static final String INIT_OP_SIGNATURE = "__saved_model_init_op";

    private final ServingApi api;
    private final Supplier<ServerHealth> health;
    private final Optional<ModelRepository> repository;
    private final Optional<StatisticsExtension> statistics;

    /**
     * @param api the core as the front end reaches it (metered, recorded)
     * @param health whether every configured model has an AVAILABLE version
     */
    public OpenInference(ServingApi api, Supplier<ServerHealth> health) {
        this(api, health, Optional.empty());
    }

    /** As {@link #OpenInference(ServingApi, Supplier)}, serving the model repository extension over {@code repository}. */
    public OpenInference(ServingApi api, Supplier<ServerHealth> health, Optional<ModelRepository> repository) {
        this(api, health, repository, Optional.empty());
    }

    /** As {@link #OpenInference(ServingApi, Supplier, Optional)}, serving the statistics extension too when given. */
    public OpenInference(ServingApi api, Supplier<ServerHealth> health, Optional<ModelRepository> repository,
            Optional<StatisticsExtension> statistics) {
        this.api = api;
        this.health = health;
        this.repository = repository;
        this.statistics = statistics;
    }

    /**
     * The statistics extension.
     *
     * @throws ServingException UNIMPLEMENTED on a server that does not measure (metrics disabled, or a front end
     *     started without monitoring)
     */
    public StatisticsExtension statistics() {
        return statistics.orElseThrow(() -> new ServingException(Code.UNIMPLEMENTED,
                "This server does not serve the statistics extension"));
    }

    /**
     * The model repository extension.
     *
     * @throws ServingException UNIMPLEMENTED on a server without one (a front end started without the core's
     *     administration)
     */
    public ModelRepository repository() {
        return repository.orElseThrow(() -> new ServingException(Code.UNIMPLEMENTED,
                "This server does not serve the model repository extension"));
    }

    /** Readiness: every configured model has an AVAILABLE version. */
    public ServerHealth ready() {
        return health.get();
    }

    public ServerMetadata serverMetadata() {
        String version = OpenInference.class.getPackage().getImplementationVersion();
        List<String> extensions = new ArrayList<>(EXTENSIONS);
        repository.ifPresent(served -> extensions.add(MODEL_REPOSITORY_EXTENSION));
        statistics.ifPresent(served -> extensions.add(STATISTICS_EXTENSION));
        return new ServerMetadata("servedeck", version == null ? "development" : version, List.copyOf(extensions));
    }

    /**
     * Whether the model (or the version named) has an AVAILABLE version.
     *
     * @throws ServingException NOT_FOUND for a model or version the server does not know
     */
    public boolean modelReady(String model, String version) {
        List<ServableState> states = api.status(spec(model, version, ""));
        return states.stream().anyMatch(state -> state.state() == ManagerState.AVAILABLE);
    }

    /**
     * The model's metadata: its AVAILABLE versions and the inputs and outputs of the version asked for (the latest
     * available by default), from its {@code serving_default} signature, or its first one by name when it has none.
     */
    public InferModelMetadata modelMetadata(String model, String version) {
        ModelMetadata metadata = api.metadata(spec(model, version, ""));
        List<String> versions = api.status(ModelSpec.latest(model)).stream()
                .filter(state -> state.state() == ManagerState.AVAILABLE)
                .map(state -> Long.toString(state.id().version()))
                .toList();
        Optional<SignatureDef> signature = describedSignature(metadata.signatureDefs());
        return new InferModelMetadata(model, versions, PLATFORM,
                signature.map(def -> tensors(def.getInputsMap())).orElse(List.of()),
                signature.map(def -> tensors(def.getOutputsMap())).orElse(List.of()));
    }

    /** A call about to wait for a thread counts as company for a partial batch (see {@link ServingApi#expectPredict}). */
    public ExpectedCall expect(String model) {
        return api.expectPredict(model);
    }

    /**
     * Runs an inference without blocking the caller while it waits for a batch.
     *
     * @param timeout what is left of the caller's deadline ({@link Duration#ZERO}: none)
     * @return the answer, or a future failed with a {@link ServingException}
     */
    public CompletableFuture<InferResponse> inferAsync(InferRequest request, Duration timeout) {
        ModelSpec spec;
        try {
            spec = spec(request.model(), request.version(), request.signatureName());
        } catch (ServingException e) {
            return CompletableFuture.failedFuture(e);
        }
        Set<String> filter = new LinkedHashSet<>(request.outputs());
        if (filter.size() != request.outputs().size()) {
            return CompletableFuture.failedFuture(
                    ServingException.invalidArgument("An output is requested more than once: " + request.outputs()));
        }
        return api.predictAsync(spec, filter, signature -> inputs(request, signature), timeout)
                .thenApply(result -> response(request, result));
    }

    /** The inputs by alias, each checked against the signature: known name, once, the declared datatype. */
    private static Map<String, TensorProto> inputs(InferRequest request, SignatureDef signature) {
        Map<String, TensorProto> inputs = new LinkedHashMap<>();
        for (InferInput input : request.inputs()) {
            TensorInfo declared = signature.getInputsMap().get(input.name());
            if (declared == null) {
                throw ServingException.invalidArgument("Input '" + input.name() + "' is not an input of the "
                        + "signature; its inputs are " + new TreeMap<>(signature.getInputsMap()).keySet());
            }
            String expected = InferDatatype.describe(declared.getDtype());
            if (!expected.equals(input.datatype().name())) {
                throw ServingException.invalidArgument("Input '" + input.name() + "' is sent as "
                        + input.datatype() + ", but the signature declares " + expected + " ("
                        + Dtypes.name(Dtypes.base(declared.getDtype())) + ")");
            }
            if (inputs.put(input.name(), input.tensor()) != null) {
                throw ServingException.invalidArgument("Input '" + input.name() + "' is sent more than once");
            }
        }
        return inputs;
    }

    private static InferResponse response(InferRequest request, PredictResult result) {
        Map<String, TensorProto> outputs = result.outputs();
        // As asked for, else every output in name order (the core's map has no order of its own).
        Iterable<String> names = request.outputs().isEmpty() ? new TreeMap<>(outputs).keySet() : request.outputs();
        List<InferOutput> answered = new ArrayList<>(outputs.size());
        for (String name : names) {
            TensorProto tensor = outputs.get(name);
            if (tensor == null) {
                throw ServingException.internal("The model answered without output '" + name + "'", null);
            }
            answered.add(OutputTensors.toOutput(name, tensor));
        }
        return new InferResponse(result.servedBy().name(), Long.toString(result.servedBy().version()), request.id(),
                answered);
    }

    /** The core's spec: the protocol's versions are strings, ServeDeck's are numbers. */
    private static ModelSpec spec(String model, String version, String signature) {
        if (model.isEmpty()) {
            throw ServingException.invalidArgument("A model name is required");
        }
        OptionalLong number = version.isEmpty() ? OptionalLong.empty() : OptionalLong.of(versionNumber(version));
        return new ModelSpec(model, number, Optional.empty(), signature);
    }

    /** A version as the protocol sends it (a string), as ServeDeck numbers it. */
    static long versionNumber(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw ServingException.invalidArgument("Model version '" + version + "' is not a version number: "
                    + "ServeDeck numbers versions as their directories (1, 2, ...)");
        }
    }

    private static Optional<SignatureDef> describedSignature(Map<String, SignatureDef> signatures) {
        SignatureDef preferred = signatures.get(DEFAULT_SIGNATURE);
        if (preferred != null) {
            return Optional.of(preferred);
        }
        return new TreeMap<>(signatures).entrySet().stream()
                .filter(entry -> !entry.getKey().equals(INIT_OP_SIGNATURE))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The tensors in name order; a tensor of unknown rank is described with the shape [-1]. */
    private static List<TensorMetadata> tensors(Map<String, TensorInfo> tensors) {
        List<TensorMetadata> described = new ArrayList<>(tensors.size());
        for (Map.Entry<String, TensorInfo> entry : new TreeMap<>(tensors).entrySet()) {
            TensorInfo info = entry.getValue();
            long[] shape = info.getTensorShape().getUnknownRank() ? new long[] {-1} : Shapes.dims(info.getTensorShape());
            described.add(new TensorMetadata(entry.getKey(), InferDatatype.describe(info.getDtype()), shape));
        }
        return described;
    }
}
