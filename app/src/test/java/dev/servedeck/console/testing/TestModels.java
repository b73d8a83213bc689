package dev.servedeck.console.testing;

import dev.servedeck.core.tensorflow.demo.DemoModelSet;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real SavedModels for console tests, written with TensorFlow Java into target/ (once per build). */
public final class TestModels {

    private static final Path ROOT = Path.of("target", "test-models").toAbsolutePath();

    private TestModels() {
    }

    /** The console's demo models (half_plus_two and mlp), generated once and reused. */
    public static synchronized Path demoRoot() {
        Path root = ROOT.resolve("demo");
        DemoModelSet.ensure(root);
        return root;
    }

    /** A fresh base path with half_plus_two exported as each of {@code versions}. */
    public static Path halfPlusTwo(Path baseDir, long... versions) {
        try {
            for (long version : versions) {
                if (!Files.isDirectory(baseDir.resolve(Long.toString(version)))) {
                    DemoModels.writeHalfPlusTwo(baseDir, version);
                }
            }
            return baseDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
