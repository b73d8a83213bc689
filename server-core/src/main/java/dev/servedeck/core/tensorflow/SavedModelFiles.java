package dev.servedeck.core.tensorflow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;

/** Finds and parses {@code saved_model.pb} (or {@code .pbtxt}) and picks the MetaGraphDef for a tag set. */
final class SavedModelFiles {

    static final String BINARY_FILE = "saved_model.pb";
    static final String TEXT_FILE = "saved_model.pbtxt";
    /** What TensorFlow's old session-bundle exports hold instead of a saved_model.pb. */
    private static final String SESSION_BUNDLE_FILE = "export.meta";

    private SavedModelFiles() {
    }

    static MetaGraphDef readMetaGraph(Path exportDir, Set<String> tags) {
        return selectMetaGraph(exportDir, read(exportDir), tags);
    }

    static SavedModel read(Path exportDir) {
        if (!Files.isDirectory(exportDir)) {
            throw new ServingException(Code.NOT_FOUND, "SavedModel directory does not exist: " + exportDir);
        }
        Path binary = exportDir.resolve(BINARY_FILE);
        Path text = exportDir.resolve(TEXT_FILE);
        try {
            if (Files.isRegularFile(binary)) {
                return SavedModel.parseFrom(Files.readAllBytes(binary));
            }
            if (Files.isRegularFile(text)) {
                SavedModel.Builder model = SavedModel.newBuilder();
                TextFormat.merge(Files.readString(text, StandardCharsets.UTF_8), model);
                return model.build();
            }
        } catch (InvalidProtocolBufferException | TextFormat.ParseException e) {
            throw new ServingException(Code.DATA_LOSS, "Cannot parse the SavedModel in " + exportDir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ServingException(Code.UNAVAILABLE, "Cannot read the SavedModel in " + exportDir + ": " + e, e);
        }
        String hint = Files.exists(exportDir.resolve(SESSION_BUNDLE_FILE))
                ? " (it holds an old session bundle export, which is not supported: re-export it as a SavedModel)"
                : "";
        throw new ServingException(Code.NOT_FOUND,
                "Could not find SavedModel .pb or .pbtxt at supplied export directory path: " + exportDir + hint);
    }

    /** TensorFlow's rule: the MetaGraphDef whose tag set equals the requested one. */
    static MetaGraphDef selectMetaGraph(Path exportDir, SavedModel model, Set<String> tags) {
        List<MetaGraphDef> graphs = model.getMetaGraphsList();
        for (MetaGraphDef graph : graphs) {
            if (new HashSet<>(graph.getMetaInfoDef().getTagsList()).equals(tags)) {
                return graph;
            }
        }
        String available = graphs.stream()
                .map(g -> "{ " + String.join(" ", new TreeSet<>(g.getMetaInfoDef().getTagsList())) + " }")
                .collect(Collectors.joining(", "));
        throw new ServingException(Code.NOT_FOUND, "Could not find meta graph def matching supplied tags: { "
                + String.join(" ", new TreeSet<>(tags)) + " } in " + exportDir + " (available tag-sets: "
                + (available.isEmpty() ? "none" : available) + ")");
    }
}
