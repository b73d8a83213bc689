package dev.servedeck.core.tensorflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * A test SavedModel that echoes tensors of every dtype TensorFlow Java can feed: one signature per dtype,
 * keyed by {@link #signature(DataType)}, with input {@code x} (shape [-1]) and output {@code y = identity(x)}.
 * For front-end tests of tensor encodings (typed fields and tensor_content) through the real core.
 */
public final class EchoModels {

    /** The dtypes the model echoes, with the TF Java type that feeds each. */
    public static final Map<DataType, Class<? extends TType>> DTYPES = Map.of(
            DataType.DT_FLOAT, TFloat32.class,
            DataType.DT_DOUBLE, TFloat64.class,
            DataType.DT_HALF, TFloat16.class,
            DataType.DT_BFLOAT16, TBfloat16.class,
            DataType.DT_INT32, TInt32.class,
            DataType.DT_INT64, TInt64.class,
            DataType.DT_UINT8, TUint8.class,
            DataType.DT_UINT16, TUint16.class,
            DataType.DT_BOOL, TBool.class,
            DataType.DT_STRING, TString.class);

    private EchoModels() {
    }

    /** "float", "int64", "string" ... */
    public static String signature(DataType dtype) {
        return dtype.name().substring(3).toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes version {@code version} under {@code baseDir}; returns the version directory. */
    public static Path write(Path baseDir, long version) throws IOException {
        Path exportDir = baseDir.resolve(Long.toString(version));
        Files.createDirectories(baseDir);
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            List<Signature> signatures = new ArrayList<>();
            for (Map.Entry<DataType, Class<? extends TType>> dtype : DTYPES.entrySet()) {
                String name = signature(dtype.getKey());
                Operand<? extends TType> x = placeholder(tf, name, dtype.getValue());
                Operand<? extends TType> y = tf.withName("y_" + name).identity(x);
                signatures.add(Signature.builder().key(name).methodName("tensorflow/serving/predict")
                        .input("x", x).output("y", y).build());
            }
            session.initialize();
            SavedModelBundle.exporter(exportDir.toString()).withSession(session)
                    .withSignatures(signatures.toArray(Signature[]::new)).export();
        }
        return exportDir;
    }

    private static <T extends TType> Placeholder<T> placeholder(Ops tf, String name, Class<T> type) {
        return tf.withName("x_" + name).placeholder(type, Placeholder.shape(Shape.of(-1)));
    }
}
