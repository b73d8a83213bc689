package dev.servedeck.core.tensorflow;

import dev.servedeck.core.servable.Classification;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.RunPhases;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.TimedOutputs;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFUnimplementedException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;

/**
 * A loaded TensorFlow SavedModel version. Thread-safe: requests run concurrently on one TensorFlow
 * session, which TensorFlow allows; every tensor a request creates or receives is closed before it returns.
 *
 * <p>Metadata comes from the raw MetaGraphDef, never from TF Java's {@code Signature} objects, which
 * report unknown-rank shapes as scalars. Predict requests are checked by {@link PredictRequestValidator}
 * before TensorFlow runs; Classify and Regress follow TF Serving ({@link ExampleInference}).
 */
public final class SavedModelServable implements Servable {

    private static final Logger LOG = LoggerFactory.getLogger(SavedModelServable.class);
    /** The phases of a run nobody asked to time. */
    private static final RunPhases UNTIMED = new RunPhases(0, 0, 0);

    private final Path exportDir;
    private final GraphSession graphSession;
    private final Map<String, Output<?>> outputs = new ConcurrentHashMap<>();
    private final Map<String, SignatureDef> signatureDefs;
    private final Map<String, BoundSignature> signatures;
    private final ExampleInference exampleInference;

    private SavedModelServable(Path exportDir, GraphSession graphSession, MetaGraphDef metaGraph,
            TensorflowOptions options) {
        this.exportDir = exportDir;
        this.graphSession = graphSession;
        Map<String, SignatureDef> servable = new TreeMap<>(metaGraph.getSignatureDefMap());
        // TF2 stores the model's initializer in the signature map; it runs once at load and is never served.
        servable.remove(GraphSession.INIT_OP_SIGNATURE_KEY);
        this.signatureDefs = Collections.unmodifiableMap(servable);
        Map<String, BoundSignature> bound = new TreeMap<>();
        signatureDefs.forEach((key, def) -> bound.put(key, BoundSignature.bind(key, def, graphSession.graph())));
        this.signatures = Collections.unmodifiableMap(bound);
        this.exampleInference = new ExampleInference(graphSession.session(), signatures, options.signatureMethodNameCheck());
    }

    /**
     * Loads the SavedModel in a version directory.
     *
     * @throws ServingException with a one-line message naming the directory (NOT_FOUND when there is no
     *     SavedModel or no MetaGraphDef with the tags, DATA_LOSS when it cannot be parsed, INVALID_ARGUMENT
     *     when TensorFlow cannot load it); nothing native stays allocated
     */
    public static SavedModelServable load(Path exportDir, TensorflowOptions options) {
        Objects.requireNonNull(options, "options");
        Path dir = exportDir.toAbsolutePath().normalize();
        long start = System.nanoTime();
        MetaGraphDef metaGraph = SavedModelFiles.readMetaGraph(dir, options.tags());
        GraphSession graphSession = GraphSession.open(dir, metaGraph, options);
        SavedModelServable servable;
        try {
            servable = new SavedModelServable(dir, graphSession, metaGraph, options);
        } catch (RuntimeException e) {
            graphSession.close();
            throw e;
        }
        servable.signatures.values().forEach(s -> s.problem().ifPresent(problem ->
                LOG.warn("SavedModel {}: signature \"{}\" will fail when called: its {}", dir, s.key(), problem)));
        LOG.info("Loaded SavedModel {} ({} signatures) in {} ms", dir, servable.signatureDefs.size(),
                (System.nanoTime() - start) / 1_000_000);
        return servable;
    }

    /** The version directory this servable was loaded from. */
    public Path exportDir() {
        return exportDir;
    }

    @Override
    public Map<String, SignatureDef> signatureDefs() {
        return signatureDefs;
    }

    @Override
    public Map<String, TensorProto> predict(String signatureName, Map<String, TensorProto> inputs, Set<String> outputFilter) {
        return run(plan(signatureName, inputs, outputFilter), false).outputs();
    }

    /** Predict with its three phases timed: feeding the tensors, the graph run, reading the outputs back. */
    @Override
    public TimedOutputs predictTimed(String signatureName, Map<String, TensorProto> inputs, Set<String> outputFilter) {
        return run(plan(signatureName, inputs, outputFilter), true);
    }

    @Override
    public List<List<Classification>> classify(String signatureName, ExampleBatch input) {
        return exampleInference.classify(signatureName == null ? "" : signatureName, input);
    }

    @Override
    public List<Float> regress(String signatureName, ExampleBatch input) {
        return exampleInference.regress(signatureName == null ? "" : signatureName, input);
    }

    @Override
    public void close() {
        graphSession.close();
        LOG.info("Unloaded SavedModel {}", exportDir);
    }

    private PredictRequestValidator.Plan plan(String signatureName, Map<String, TensorProto> inputs,
            Set<String> outputFilter) {
        String key = signatureName == null || signatureName.isEmpty() ? DEFAULT_SIGNATURE : signatureName;
        // TF Serving's predict_util.cc uses FAILED_PRECONDITION for an unknown key (Classify/Regress use INVALID_ARGUMENT).
        predictSignature(key);
        BoundSignature signature = signatures.get(key);
        signature.checkPredictable();
        return PredictRequestValidator.validate(signature.def(), inputs, outputFilter);
    }

    /**
     * @param timed read the clock between the phases (three reads more per run; plain predict calls skip them)
     */
    private TimedOutputs run(PredictRequestValidator.Plan plan, boolean timed) {
        List<Tensor> fed = new ArrayList<>(plan.feeds().size());
        long start = timed ? System.nanoTime() : 0;
        try {
            Session.Runner runner = graphSession.session().runner();
            for (PredictRequestValidator.Feed feed : plan.feeds()) {
                Tensor tensor = toTensor(feed);
                fed.add(tensor);
                runner.feed(output(feed.tensorName()), tensor);
            }
            // Two aliases may name one tensor, even spelled differently ("y" and "y:0"): fetch each graph output
            // once, or TF Java refuses the run's result after the run (its outputs would then wait for the GC).
            List<Output<?>> fetched = new ArrayList<>(plan.fetches().size());
            for (PredictRequestValidator.Fetch fetch : plan.fetches()) {
                Output<?> output = output(fetch.tensorName());
                if (!fetched.contains(output)) {
                    fetched.add(output);
                    runner.fetch(output);
                }
            }
            long fedAt = timed ? System.nanoTime() : 0;
            try (Result result = runner.run()) {
                long ranAt = timed ? System.nanoTime() : 0;
                Map<String, TensorProto> outputs = new LinkedHashMap<>();
                for (PredictRequestValidator.Fetch fetch : plan.fetches()) {
                    int index = fetched.indexOf(output(fetch.tensorName()));
                    outputs.put(fetch.alias(), TensorProtos.toProto(result.get(index)));
                }
                RunPhases phases = timed ? new RunPhases(fedAt - start, ranAt - fedAt, System.nanoTime() - ranAt)
                        : UNTIMED;
                return new TimedOutputs(outputs, phases);
            }
        } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
            ServingException error = TensorflowErrors.toServingException(e);
            throw new ServingException(error.code(), plan.explain(error.getMessage()), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // TF Java itself refused (a closed session, an output dtype it has no tensor type for).
            throw ServingException.internal("Predict failed on " + exportDir + ": " + e.getMessage(), e);
        } finally {
            fed.forEach(Tensor::close);
        }
    }

    /**
     * The graph output a tensor name ("op:0") stands for, looked up once per name: feeding or fetching by
     * name makes TensorFlow Java search the graph for the operation on every run (an allocation-heavy
     * native call), and the graph of a loaded version never changes.
     */
    private Output<?> output(String tensorName) {
        Output<?> output = outputs.get(tensorName);
        if (output == null) {
            output = outputs.computeIfAbsent(tensorName, name -> graphSession.graph().output(name));
        }
        return output;
    }

    private static Tensor toTensor(PredictRequestValidator.Feed feed) {
        try {
            return TensorProtos.toTensor(feed.value());
        } catch (IllegalArgumentException e) {
            throw ServingException.invalidArgument("tensor parsing error: " + feed.alias() + " (" + e.getMessage() + ")");
        } catch (UnsupportedDtypeException e) {
            throw new ServingException(Code.UNIMPLEMENTED,
                    "input '" + feed.alias() + "': " + e.getMessage());
        }
    }
}
