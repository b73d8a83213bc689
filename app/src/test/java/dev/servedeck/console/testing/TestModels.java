package dev.servedeck.console.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.servedeck.core.tensorflow.demo.DemoModelSet;
import dev.servedeck.core.tensorflow.demo.DemoModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

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

    /**
     * A copy of one of TensorFlow Serving's test model versions (in {@code ../shared/testdata/tf-serving}, which
     * Surefire passes as {@code servedeck.shared.dir}) in the folder {@code target}, so a test may add files to it;
     * skips the test where the shared test data is absent.
     */
    public static Path tfServingVersion(String model, String versionFolder, Path target) {
        Path source = Path.of(System.getProperty("servedeck.shared.dir", "../../shared"), "testdata", "tf-serving",
                model, versionFolder).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(source), "TF Serving test data not found at " + source + ": skipped");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }
}
