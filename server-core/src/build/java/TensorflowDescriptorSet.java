import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Build step (run by exec-maven-plugin in generate-sources, as a single-file source program): writes the
 * FileDescriptorSet of TensorFlow's own protos as TensorFlow Java compiled them.
 *
 * <p>Why: TensorFlow Serving's API protos import tensorflow/core/framework/tensor.proto and friends. TF Java
 * ships the compiled classes (org.tensorflow.proto.TensorProto ...) but no .proto files; their descriptors,
 * with TF Java's java_package options inside, are enough for protoc ({@code --descriptor_set_in}) to resolve
 * those imports and to generate code that uses TF Java's classes directly, so requests reach TensorFlow
 * without copies.
 *
 * <p>Usage: {@code java -cp <compile classpath> TensorflowDescriptorSet.java <output file> <Protos class>...}
 */
public final class TensorflowDescriptorSet {

    private TensorflowDescriptorSet() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: TensorflowDescriptorSet <output file> <Protos class>...");
        }
        Map<String, FileDescriptor> files = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            FileDescriptor root = (FileDescriptor) Class.forName(args[i]).getMethod("getDescriptor").invoke(null);
            addWithDependenciesFirst(root, files);
        }
        FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
        files.values().forEach(file -> set.addFile(file.toProto()));
        Path output = Path.of(args[0]);
        Files.createDirectories(output.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(output)) {
            set.build().writeTo(out);
        }
        System.out.println("Wrote " + files.size() + " TensorFlow proto descriptors to " + output);
    }

    /** protoc wants each file after the files it imports. */
    private static void addWithDependenciesFirst(FileDescriptor file, Map<String, FileDescriptor> files)
            throws IOException {
        if (files.containsKey(file.getName())) {
            return;
        }
        for (FileDescriptor dependency : file.getDependencies()) {
            addWithDependenciesFirst(dependency, files);
        }
        files.put(file.getName(), file);
    }
}
