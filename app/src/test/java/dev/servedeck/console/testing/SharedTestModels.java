package dev.servedeck.console.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SavedModels written by TensorFlow itself, from {@code ../shared/testdata} (Surefire passes the folder as
 * {@code servedeck.shared.dir}; see the READMEs there). Tests that need them are skipped, with a message,
 * where the folder is absent.
 */
public final class SharedTestModels {

    /** TF Serving's TF2 half_plus_two (base path with version 00000123). */
    public static final String TF2_HALF_PLUS_TWO = "tf-serving/saved_model_half_plus_two_tf2_cpu";
    /** TensorFlow Java's model written by Python TF 2.3: five signatures, no serving_default (version 1). */
    public static final String PYTHON_TF2 = "tf-java/saved_model_using_python";

    private SharedTestModels() {
    }

    /** A model's base path under {@code testdata}; skips the calling test when it is missing. */
    public static Path basePath(String model) {
        String shared = System.getProperty("servedeck.shared.dir", "../../shared");
        Path path = Path.of(shared, "testdata").resolve(model).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(path), "Shared test model not found at " + path + " (../shared absent): skipped");
        return path;
    }

    /**
     * A TF Serving model config file in {@code dir} serving each {@code name, model} pair (a model as in
     * {@link #basePath}); skips the calling test when a model is missing.
     */
    public static Path config(Path dir, String... namesAndModels) {
        StringBuilder config = new StringBuilder("model_config_list {\n");
        for (int i = 0; i + 1 < namesAndModels.length; i += 2) {
            config.append("""
                      config {
                        name: "%s"
                        base_path: "%s"
                        model_platform: "tensorflow"
                      }
                    """.formatted(namesAndModels[i], basePath(namesAndModels[i + 1])));
        }
        config.append("}\n");
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("tf2-models.config"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
