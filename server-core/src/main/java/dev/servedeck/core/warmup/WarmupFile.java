package dev.servedeck.core.warmup;

import dev.servedeck.core.tfrecord.TfRecordWriter;
import dev.servedeck.proto.apis.PredictionLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Where TF Serving looks for a version's warmup requests and what it accepts there: a TFRecord file of
 * serialized {@code tensorflow.serving.PredictionLog}s at {@code <version>/assets.extra/tf_serving_warmup_requests},
 * at most {@value #MAX_RECORDS} records (saved_model_warmup_util.h).
 */
public final class WarmupFile {

    /** SavedModel's folder for files that are not part of the graph (tensorflow/cc/saved_model/constants.h). */
    public static final String ASSETS_EXTRA = "assets.extra";
    public static final String FILE_NAME = "tf_serving_warmup_requests";
    /** TF Serving's WarmupConsts::kMaxNumRecords. */
    public static final int MAX_RECORDS = 1000;

    private WarmupFile() {
    }

    /** The warmup file of a version folder (which need not exist). */
    public static Path of(Path versionDir) {
        return versionDir.resolve(ASSETS_EXTRA).resolve(FILE_NAME);
    }

    /**
     * Writes {@code logs} as a warmup file, creating its folder. The file is written beside the target and then
     * moved over it, so a version that loads meanwhile reads the old file or the new one, never half of one.
     *
     * @throws IllegalArgumentException for more than {@value #MAX_RECORDS} logs (a file TF Serving would refuse)
     */
    public static void write(Path file, List<PredictionLog> logs) throws IOException {
        if (logs.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("A warmup file holds at most " + MAX_RECORDS + " records, not "
                    + logs.size());
        }
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path partial = Files.createTempFile(folder, "." + file.getFileName(), ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(partial);
                    TfRecordWriter writer = new TfRecordWriter(out)) {
                for (PredictionLog log : logs) {
                    writer.write(log.toByteArray());
                }
            }
            moveOver(partial, file);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void moveOver(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
