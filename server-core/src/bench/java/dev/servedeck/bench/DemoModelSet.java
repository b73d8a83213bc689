package dev.servedeck.bench;

import dev.servedeck.core.tensorflow.demo.DemoModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The two demo SavedModels, written fresh for each run so that every contender serves identical files.
 *
 * @param halfPlusTwoBase base path of half_plus_two (version folders inside)
 * @param mlpBase         base path of the MLP
 * @param halfPlusTwo     the half_plus_two SavedModel (version 1)
 * @param mlp             the MLP SavedModel (version 1)
 */
record DemoModelSet(Path halfPlusTwoBase, Path mlpBase, Path halfPlusTwo, Path mlp) {

    private static final long VERSION = 1;
    private static final long MLP_SEED = 42;

    static DemoModelSet writeTo(Path root) throws IOException {
        deleteRecursively(root);
        Path halfPlusTwoBase = root.resolve("half_plus_two");
        Path mlpBase = root.resolve("mlp");
        Path halfPlusTwo = DemoModels.writeHalfPlusTwo(halfPlusTwoBase, VERSION);
        Path mlp = DemoModels.writeMlp(mlpBase, VERSION, MLP_SEED);
        return new DemoModelSet(halfPlusTwoBase, mlpBase, halfPlusTwo, mlp);
    }

    /** A ModelServerConfig (protobuf text format, as tensorflow_model_server reads) serving both models. */
    Path writeServerConfig(Path file) throws IOException {
        String config = """
                model_config_list {
                  config {
                    name: "half_plus_two"
                    base_path: "%s"
                    model_platform: "tensorflow"
                  }
                  config {
                    name: "mlp"
                    base_path: "%s"
                    model_platform: "tensorflow"
                  }
                }
                """.formatted(textFormatString(halfPlusTwoBase), textFormatString(mlpBase));
        Files.createDirectories(file.getParent());
        return Files.writeString(file, config, StandardCharsets.UTF_8);
    }

    private static String textFormatString(Path path) {
        return path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
