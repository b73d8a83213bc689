package dev.servedeck.core.config;

import com.google.protobuf.TextFormat;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.ConfigProto;

/**
 * Reads TF Serving's {@code --tensorflow_session_config_file}: a TensorFlow session {@link ConfigProto} in
 * protobuf text format, e.g. {@code intra_op_parallelism_threads: 4 allow_soft_placement: true}. TensorFlow Java
 * creates sessions from the same ConfigProto, so every field reaches TensorFlow as written.
 */
public final class SessionConfigFile {

    private SessionConfigFile() {
    }

    /** Reads and parses the file; every problem is an INVALID_ARGUMENT naming it. */
    public static ConfigProto read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read TensorFlow session config file " + file + ": "
                    + e.getMessage());
        }
    }

    public static ConfigProto parse(String text, String origin) {
        ConfigProto.Builder config = ConfigProto.newBuilder();
        try {
            TextFormat.getParser().merge(text, config);
        } catch (TextFormat.ParseException e) {
            throw ServingException.invalidArgument("Invalid TensorFlow session config file " + origin + ": "
                    + e.getMessage());
        }
        return config.build();
    }
}
