package dev.servedeck.core.batching;

import com.google.protobuf.BoolValue;
import com.google.protobuf.TextFormat;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ServeDeckBatchingParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TF Serving's batching parameter files in protobuf text format: {@code --batching_parameters_file} and the
 * per-model {@code batching_params.pbtxt} in a SavedModel version folder. They may also hold ServeDeck's own
 * fields ({@link ExtendedBatchingParameters}); a file without them is exactly TF Serving's.
 */
public final class BatchingParametersFile {

    /** The per-model file TF Serving reads with {@code --enable_per_model_batching_parameters}. */
    public static final String PER_MODEL_FILE_NAME = "batching_params.pbtxt";

    /** Heads a printed file that only ServeDeck can read, so that its reader knows why before trying. */
    static final String SERVEDECK_ONLY_NOTE = "# adaptive_batch_timeout {} (false, as protobuf prints it) is ServeDeck's"
            + " own field: tensorflow_model_server does not read this file\n";

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
        ExtendedBatchingParameters proto;
        try {
            proto = ExtendedBatchingParameters.parse(text);
        } catch (TextFormat.ParseException e) {
            throw ServingException.invalidArgument("Cannot parse batching parameters in " + source + ": " + e.getMessage());
        }
        BatchingOptions options;
        try {
            options = BatchingOptions.fromProto(proto.tfServing());
        } catch (ServingException e) {
            throw ServingException.invalidArgument(e.getMessage() + " (in " + source + ")");
        }
        ServeDeckBatchingParameters own = proto.serveDeck();
        return own.hasAdaptiveBatchTimeout()
                ? options.withAdaptiveBatchTimeout(own.getAdaptiveBatchTimeout().getValue()) : options;
    }

    /**
     * The options as text in the same format, ready to save as a batching parameters file. ServeDeck's fields are
     * written only where they differ from their defaults: with the defaults, tensorflow_model_server reads the
     * file too.
     */
    public static String print(BatchingOptions options) {
        ServeDeckBatchingParameters.Builder own = ServeDeckBatchingParameters.newBuilder();
        if (!options.adaptiveBatchTimeout()) {
            own.setAdaptiveBatchTimeout(BoolValue.of(false));
        }
        String text = new ExtendedBatchingParameters(options.toProto(), own.build()).print();
        return own.build().equals(ServeDeckBatchingParameters.getDefaultInstance()) ? text
                : SERVEDECK_ONLY_NOTE + text;
    }
}
