package dev.servedeck.core.tensorflow;

import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TString;

/**
 * The graph of one MetaGraphDef and the session that runs it, with variables restored and the init op
 * run: what TensorFlow's C++ {@code LoadSavedModel} does for TF Serving, done here through TF Java's
 * public graph API.
 *
 * <p>Why not {@code SavedModelBundle.load}: after loading, TF Java wraps every signature in a
 * {@code SessionFunction} whose constructor ({@code TensorFunction.validateDescription}) throws
 * {@code IllegalArgumentException} when a signature's declared dtype or shape disagrees with the graph,
 * and the whole model is then rejected. TF Serving's own {@code saved_model_half_plus_three} has such a
 * legacy signature ({@code tensorflow/serving/regress} declares DT_FLOAT for the DT_STRING tensor
 * {@code tf_example:0}) yet TF Serving serves it. Loading the graph ourselves keeps every good signature
 * usable; {@link BoundSignature} reports the bad ones when they are called.
 *
 * <p>Steps, as in TensorFlow's loader: import the GraphDef; restore the checkpoint in {@code variables/}
 * by running the SaverDef's restore op; run the init op ({@code __saved_model_init_op} signature, else
 * the {@code saved_model_main_op} or {@code legacy_init_op} collection). Both runs get the asset files fed
 * in, by absolute path.
 */
final class GraphSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraphSession.class);

    static final String INIT_OP_SIGNATURE_KEY = "__saved_model_init_op";
    private static final String MAIN_OP_COLLECTION = "saved_model_main_op";
    private static final String LEGACY_INIT_OP_COLLECTION = "legacy_init_op";

    private final Graph graph;
    private final Session session;

    private GraphSession(Graph graph, Session session) {
        this.graph = graph;
        this.session = session;
    }

    /**
     * Loads a MetaGraphDef of the SavedModel in {@code exportDir}.
     *
     * @throws ServingException with a one-line message naming the directory; nothing stays allocated
     */
    static GraphSession open(Path exportDir, MetaGraphDef metaGraph, TensorflowOptions options) {
        Graph graph = new Graph();
        Session session = null;
        try {
            graph.importGraphDef(metaGraph.getGraphDef());
            session = new Session(graph, options.toConfigProto());
            TfJavaInitializers.disarm(session);
            List<AssetFeed> assets = assetFeeds(exportDir, metaGraph);
            restoreVariables(exportDir, metaGraph.getSaverDef(), session, assets);
            Optional<String> initOp = initOp(metaGraph).filter(op -> !doesNothing(metaGraph, op));
            if (initOp.isPresent()) {
                run(session, assets, initOp.get());
            }
            return new GraphSession(graph, session);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.close();
            throw e instanceof ServingException se ? se : new ServingException(Code.INVALID_ARGUMENT,
                    "Cannot load the SavedModel in " + exportDir + ": " + firstLine(e), e);
        }
    }

    Graph graph() {
        return graph;
    }

    Session session() {
        return session;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }

    private static void restoreVariables(Path exportDir, SaverDef saver, Session session, List<AssetFeed> assets) {
        Path variables = exportDir.resolve(SavedModelFiles.VARIABLES_FOLDER);
        Path variablesIndex = variables.resolve(SavedModelFiles.VARIABLES_INDEX);
        if (!Files.exists(variablesIndex) || saver.getRestoreOpName().isEmpty()) {
            LOG.debug("SavedModel {} has no variables to restore", exportDir);
            return;
        }
        String prefix = variables.resolve(SavedModelFiles.VARIABLES_PREFIX).toString();
        List<AssetFeed> feeds = new ArrayList<>(assets);
        feeds.add(new AssetFeed(saver.getFilenameTensorName(), prefix));
        run(session, feeds, operationName(saver.getRestoreOpName()));
    }

    private static void run(Session session, List<AssetFeed> feeds, String target) {
        List<Tensor> tensors = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (AssetFeed feed : feeds) {
                Tensor value = TString.scalarOf(feed.path());
                tensors.add(value);
                runner.feed(feed.tensorName(), value);
            }
            runner.addTarget(target).run().close();
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    private static Optional<String> initOp(MetaGraphDef metaGraph) {
        SignatureDef initSignature = metaGraph.getSignatureDefMap().get(INIT_OP_SIGNATURE_KEY);
        if (initSignature != null && initSignature.containsOutputs(INIT_OP_SIGNATURE_KEY)) {
            return Optional.of(operationName(initSignature.getOutputsOrThrow(INIT_OP_SIGNATURE_KEY).getName()));
        }
        CollectionDef collection = metaGraph.getCollectionDefMap().getOrDefault(MAIN_OP_COLLECTION,
                metaGraph.getCollectionDefMap().get(LEGACY_INIT_OP_COLLECTION));
        if (collection == null) {
            return Optional.empty();
        }
        List<String> nodes = collection.getNodeList().getValueList();
        if (nodes.size() != 1) {
            throw new IllegalArgumentException("Expected exactly one main op in the SavedModel, found " + nodes.size());
        }
        return Optional.of(operationName(nodes.get(0)));
    }

    /**
     * Whether an op is a {@code NoOp} without inputs or control inputs: the init op of every TF2 export that
     * has nothing to initialise. Running it would only cost TensorFlow an executor for one empty step (about
     * 2 ms per load, a sixth of loading the demo MLP).
     */
    private static boolean doesNothing(MetaGraphDef metaGraph, String operation) {
        return metaGraph.getGraphDef().getNodeList().stream()
                .filter(node -> node.getName().equals(operation))
                .findFirst()
                .map(node -> node.getOp().equals("NoOp") && node.getInputCount() == 0)
                .orElse(false);
    }

    private static List<AssetFeed> assetFeeds(Path exportDir, MetaGraphDef metaGraph) {
        return SavedModelAssets.of(metaGraph).stream()
                .map(def -> new AssetFeed(def.getTensorInfo().getName(),
                        SavedModelAssets.path(exportDir, def.getFilename()).toString()))
                .toList();
    }

    /** "save/restore_all" from "save/restore_all" or "save/restore_all:0". */
    static String operationName(String tensorOrOperation) {
        int colon = tensorOrOperation.lastIndexOf(':');
        return colon < 0 ? tensorOrOperation : tensorOrOperation.substring(0, colon);
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }

    private record AssetFeed(String tensorName, String path) {
    }
}
