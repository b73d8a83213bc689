package dev.servedeck.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TensorFlow Serving's own test models in {@code ../shared/testdata/tf-serving} (Surefire passes the
 * folder as {@code servedeck.shared.dir}). Tests that need them are skipped, with a message, where the
 * folder is absent.
 */
public final class TfServingTestData {

    private TfServingTestData() {
    }

    /** The testdata folder; skips the calling test when it is missing. */
    public static Path root() {
        String shared = System.getProperty("servedeck.shared.dir", "../../shared");
        Path root = Path.of(shared, "testdata", "tf-serving").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(root), "TF Serving test data not found at " + root + " (../shared absent): skipped");
        return root;
    }

    /**
     * A model base path in {@code ../shared/testdata/tf-java}, e.g. {@code saved_model_using_python} (TensorFlow
     * Java's Python-written TF2 model); skips the calling test when it is missing.
     */
    public static Path tfJavaModel(String name) {
        Path model = root().resolveSibling("tf-java").resolve(name);
        assumeTrue(Files.isDirectory(model), "TensorFlow Java test data not found at " + model + ": skipped");
        return model;
    }

    /** A model's base path, e.g. {@code saved_model_half_plus_two_cpu}. */
    public static Path model(String name) {
        return root().resolve(name);
    }

    /** One version folder, e.g. {@code version("saved_model_counter", "00000123")}. */
    public static Path version(String model, String versionDir) {
        return model(model).resolve(versionDir);
    }
}
