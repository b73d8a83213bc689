import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Loads TensorFlow once, runs one op, and checks that every TensorFlow library this JVM mapped comes from the
 * directory given as the only argument. A build step of the container layout (assemble-layout.sh), run twice:
 * first with JavaCPP's cache in a scratch directory, which unpacks the natives there; then, through
 * {@code bin/servedeck-check-natives}, with the JVM flags the entry point uses, which proves the server
 * will load them from {@code native/} without writing anything. Reports on stdout; exits non-zero on failure.
 */
public final class TensorflowNativesCheck {

    private TensorflowNativesCheck() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: TensorflowNativesCheck <directory the natives must come from>");
            System.exit(2);
        }
        float y;
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            var halfPlusTwo = tf.math.add(tf.math.mul(tf.constant(1f), tf.constant(0.5f)), tf.constant(2f));
            try (Result result = session.runner().fetch(halfPlusTwo).run()) {
                y = ((TFloat32) result.get(0)).getFloat();
            }
        }
        if (y != 2.5f) {
            System.err.println("TensorflowNativesCheck: TensorFlow computed 0.5 * 1 + 2 = " + y);
            System.exit(1);
        }
        Path expected = Path.of(args[0]).toRealPath(); // JavaCPP may have just created it
        List<Path> mapped = mappedTensorflowLibraries();
        List<Path> elsewhere = mapped.stream().filter(path -> !path.startsWith(expected)).collect(Collectors.toList());
        if (mapped.isEmpty() || !elsewhere.isEmpty()) {
            System.err.println("TensorflowNativesCheck: TensorFlow's natives are not all from " + expected + ": "
                    + mapped);
            System.exit(1);
        }
        System.out.println("TensorFlow " + TensorFlow.version() + ": " + mapped.size() + " native libraries from "
                + expected);
    }

    /** The distinct TensorFlow shared libraries in this process's memory map (Linux's /proc/self/maps). */
    private static List<Path> mappedTensorflowLibraries() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(line -> line.contains("/") && line.contains("tensorflow") && line.contains(".so"))
                    .map(line -> Path.of(line.substring(line.indexOf('/'))))
                    .distinct()
                    .collect(Collectors.toList());
        }
    }
}
