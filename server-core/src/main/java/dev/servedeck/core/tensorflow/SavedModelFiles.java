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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;

/** Finds and parses {@code saved_model.pb} (or {@code .pbtxt}) and picks the MetaGraphDef for a tag set. */
final class SavedModelFiles {

    static final String BINARY_FILE = "saved_model.pb";
    static final String TEXT_FILE = "saved_model.pbtxt";
    /** The checkpoint of a SavedModel's variables: {@code variables/variables.index} and its data shards. */
    static final String VARIABLES_FOLDER = "variables";
    static final String VARIABLES_PREFIX = "variables";
    static final String VARIABLES_INDEX = VARIABLES_PREFIX + ".index";
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
        Optional<Path> file = find(exportDir);
        if (file.isEmpty()) {
            String hint = holdsSessionBundle(exportDir)
                    ? " (it holds an old session bundle export, which is not supported: re-export it as a SavedModel)"
                    : "";
            throw new ServingException(Code.NOT_FOUND,
                    "Could not find SavedModel .pb or .pbtxt at supplied export directory path: " + exportDir + hint);
        }
        try {
            return parse(file.get());
        } catch (InvalidProtocolBufferException | TextFormat.ParseException e) {
            throw new ServingException(Code.DATA_LOSS, "Cannot parse the SavedModel in " + exportDir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ServingException(Code.UNAVAILABLE, "Cannot read the SavedModel in " + exportDir + ": " + e, e);
        }
    }

    /** The SavedModel file of a version: {@code saved_model.pb}, else {@code saved_model.pbtxt} (TensorFlow's order). */
    static Optional<Path> find(Path exportDir) {
        return Stream.of(BINARY_FILE, TEXT_FILE).map(exportDir::resolve).filter(Files::isRegularFile).findFirst();
    }

    /**
     * Parses a file {@link #find} returned.
     *
     * @throws IOException if it cannot be read, or does not parse (then an {@link InvalidProtocolBufferException}
     *     or a {@link TextFormat.ParseException})
     */
    static SavedModel parse(Path file) throws IOException {
        if (file.getFileName().toString().equals(TEXT_FILE)) {
            SavedModel.Builder model = SavedModel.newBuilder();
            TextFormat.merge(Files.readString(file, StandardCharsets.UTF_8), model);
            return model.build();
        }
        return SavedModel.parseFrom(Files.readAllBytes(file));
    }

    /** True for an old session-bundle export: a complete model of a kind that is not loaded, never a SavedModel to wait for. */
    static boolean holdsSessionBundle(Path exportDir) {
        return Files.exists(exportDir.resolve(SESSION_BUNDLE_FILE));
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
