package dev.servedeck.core.tensorflow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import dev.servedeck.core.source.VersionReadiness;
import dev.servedeck.core.tensorflow.bundle.MalformedTableException;
import dev.servedeck.core.tensorflow.bundle.TensorBundleIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * Whether a version folder holds a whole SavedModel, judged from its files, so that a copy that pauses
 * (graph first, variables later) is never loaded half-written:
 * <ol>
 * <li>{@code saved_model.pb} (or {@code .pbtxt}) parses and holds a MetaGraphDef;</li>
 * <li>if a graph has variables (variable nodes, or a SaverDef whose restore op restores something),
 * {@code variables/variables.index} reads as an intact tensor bundle index, and every data shard its header
 * counts exists with at least the bytes its entries need;</li>
 * <li>every asset file a graph names exists under {@code assets/}.</li>
 * </ol>
 * The first thing missing is the reason to wait, e.g. {@code waiting for variables/variables.data-00000-of-00001}.
 * All MetaGraphDefs are checked, whatever tags the loader will ask for. A folder that is complete but will
 * not load (no MetaGraphDef with the tags, an old session bundle, an asset outside {@code assets/}) is
 * ready: loading it reports the error, as it always has.
 */
public final class SavedModelCompleteness implements VersionReadiness {

    private static final Logger LOG = LoggerFactory.getLogger(SavedModelCompleteness.class);

    private static final long MAX_PROTO_BYTES = Integer.MAX_VALUE;

    /** Ops that hold a variable's value; its initial value is in the checkpoint. */
    private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "VarHandleOp", "Variable");

    @Override
    public Verdict check(Path versionFolder) {
        try {
            return verdict(versionFolder);
        } catch (IOException e) {
            return waiting("for its files to be readable (" + e + ")");
        } catch (RuntimeException e) {
            LOG.warn("Could not check whether {} is a complete SavedModel", versionFolder, e);
            return waiting("for its files to be readable (" + e + ")");
        }
    }

    private static Verdict verdict(Path folder) throws IOException {
        Optional<Path> file = SavedModelFiles.find(folder);
        if (file.isEmpty()) {
            // An old session bundle never becomes a SavedModel: loading it says so.
            return SavedModelFiles.holdsSessionBundle(folder) ? READY : waiting("for " + SavedModelFiles.BINARY_FILE);
        }
        String fileName = file.get().getFileName().toString();
        if (Files.size(file.get()) > MAX_PROTO_BYTES) {
            // Never a SavedModel (protobuf messages stop at 2 GiB), and too large to read into an array.
            return READY;
        }
        SavedModel model;
        try {
            model = SavedModelFiles.parse(file.get());
        } catch (InvalidProtocolBufferException | TextFormat.ParseException e) {
            return waiting("for " + fileName + " to be complete (it does not parse: " + firstSentence(e.getMessage()) + ")");
        }
        if (model.getMetaGraphsCount() == 0) {
            // An empty file parses as a SavedModel with nothing in it: the copy has just started.
            return waiting("for " + fileName + " to be complete (it holds no MetaGraphDef)");
        }
        if (model.getMetaGraphsList().stream().anyMatch(SavedModelCompleteness::hasVariables)) {
            Optional<String> missing = missingVariables(folder.resolve(SavedModelFiles.VARIABLES_FOLDER));
            if (missing.isPresent()) {
                return waiting(missing.get());
            }
        }
        for (MetaGraphDef metaGraph : model.getMetaGraphsList()) {
            Optional<String> missing = missingAsset(folder, metaGraph);
            if (missing.isPresent()) {
                return waiting(missing.get());
            }
        }
        return READY;
    }

    /**
     * Whether loading restores a checkpoint: the graph has variable nodes, or its saver's restore op does
     * something (restores tables, say). TensorFlow Java writes a saver for a graph without variables too, whose
     * restore op is a NoOp without inputs, and no checkpoint: such a graph needs no {@code variables/}.
     */
    private static boolean hasVariables(MetaGraphDef metaGraph) {
        List<NodeDef> nodes = metaGraph.getGraphDef().getNodeList();
        String restoreOp = GraphSession.operationName(metaGraph.getSaverDef().getRestoreOpName());
        boolean restores = !restoreOp.isEmpty() && nodes.stream()
                .filter(node -> node.getName().equals(restoreOp))
                .findFirst()
                .map(node -> node.getInputCount() > 0)
                .orElse(true);
        return restores || nodes.stream().map(NodeDef::getOp).anyMatch(VARIABLE_OPS::contains);
    }

    private static Optional<String> missingVariables(Path variables) throws IOException {
        String indexName = SavedModelFiles.VARIABLES_FOLDER + "/" + SavedModelFiles.VARIABLES_INDEX;
        Path indexFile = variables.resolve(SavedModelFiles.VARIABLES_INDEX);
        if (!Files.isRegularFile(indexFile)) {
            return Optional.of("for " + indexName);
        }
        TensorBundleIndex index;
        try {
            index = TensorBundleIndex.read(indexFile);
        } catch (MalformedTableException e) {
            return Optional.of("for " + indexName + " to be complete (" + e.getMessage() + ")");
        }
        Map<Integer, Long> required = index.requiredShardSizes();
        for (int shard = 0; shard < index.numShards(); shard++) {
            String dataName = TensorBundleIndex.dataFileName(SavedModelFiles.VARIABLES_PREFIX, shard, index.numShards());
            Path dataFile = variables.resolve(dataName);
            if (!Files.isRegularFile(dataFile)) {
                return Optional.of("for " + SavedModelFiles.VARIABLES_FOLDER + "/" + dataName);
            }
            long size = Files.size(dataFile);
            long needed = required.getOrDefault(shard, 0L);
            if (size < needed) {
                return Optional.of("for " + SavedModelFiles.VARIABLES_FOLDER + "/" + dataName + " to be complete ("
                        + size + " of " + needed + " bytes)");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> missingAsset(Path folder, MetaGraphDef metaGraph) {
        List<AssetFileDef> assets;
        try {
            assets = SavedModelAssets.of(metaGraph);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a broken asset list will not mend: the load reports it
        }
        for (AssetFileDef asset : assets) {
            Path path;
            try {
                path = SavedModelAssets.path(folder, asset.getFilename());
            } catch (IllegalArgumentException e) {
                continue; // not a file to wait for: the load refuses it
            }
            if (!Files.isRegularFile(path)) {
                return Optional.of("for " + SavedModelAssets.ASSETS_FOLDER + "/" + asset.getFilename());
            }
        }
        return Optional.empty();
    }

    /** Protobuf's messages go on to guess at causes; the first sentence is the fact. */
    private static String firstSentence(String message) {
        String text = message == null ? "" : message.strip();
        int end = text.indexOf(". ");
        return (end < 0 ? text : text.substring(0, end)).lines().findFirst().orElse("");
    }

    private static Waiting waiting(String what) {
        return new Waiting("waiting " + what);
    }
}
