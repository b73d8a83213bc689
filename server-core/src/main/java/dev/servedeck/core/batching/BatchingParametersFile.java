package dev.servedeck.core.batching;

import com.google.protobuf.TextFormat;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.BatchingParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TF Serving's batching parameter files in protobuf text format: {@code --batching_parameters_file} and the
 * per-model {@code batching_params.pbtxt} in a SavedModel version folder.
 */
public final class BatchingParametersFile {

    /** The per-model file TF Serving reads with {@code --enable_per_model_batching_parameters}. */
    public static final String PER_MODEL_FILE_NAME = "batching_params.pbtxt";

    private BatchingParametersFile() {
    }

    /**
     * Reads and validates a batching parameters file.
     *
     * @throws ServingException INVALID_ARGUMENT (naming the file) when it does not parse or holds invalid
     *     values, NOT_FOUND when it cannot be read
     */
    public static BatchingOptions read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServingException(Code.NOT_FOUND, "Cannot read batching parameters file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** The per-model parameters in a version folder, if it has a {@value #PER_MODEL_FILE_NAME}. */
    public static Optional<BatchingOptions> readPerModel(Path versionDir) {
        Path file = versionDir.resolve(PER_MODEL_FILE_NAME);
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /**
     * Parses {@code BatchingParameters} text.
     *
     * @param source names the text in error messages (a file name, "console")
     * @throws ServingException INVALID_ARGUMENT with the parser's or the validation's reason
     */
    public static BatchingOptions parse(String text, String source) {
        BatchingParameters.Builder proto = BatchingParameters.newBuilder();
        try {
            TextFormat.merge(text, proto);
        } catch (TextFormat.ParseException e) {
            throw ServingException.invalidArgument("Cannot parse batching parameters in " + source + ": " + e.getMessage());
        }
        try {
            return BatchingOptions.fromProto(proto.build());
        } catch (ServingException e) {
            throw ServingException.invalidArgument(e.getMessage() + " (in " + source + ")");
        }
    }

    /** The options as text in the same format, ready to save as a batching parameters file. */
    public static String print(BatchingOptions options) {
        return TextFormat.printer().printToString(options.toProto());
    }
}
