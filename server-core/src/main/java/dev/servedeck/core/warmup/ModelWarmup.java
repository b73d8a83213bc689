package dev.servedeck.core.warmup;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.servedeck.core.inference.TensorByteLimit;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.tfrecord.CorruptRecordException;
import dev.servedeck.core.tfrecord.TfRecordReader;
import dev.servedeck.proto.apis.PredictionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TF Serving's model warmup (saved_model_warmup_util.cc): the requests recorded in a version's warmup file are
 * replayed on the loaded version, each {@code iterations} times in a row, before it becomes AVAILABLE, so that
 * TensorFlow's lazy work (graph optimizations, kernel selection, allocations) is done before the first client
 * waits for it. The caller runs this inside its loader, so the version stays LOADING meanwhile.
 *
 * <p>Replay goes straight to the servable: no front end, no batching, no metrics, so warmup requests are not
 * counted as client requests. Any failure fails the load with a message that names the file and the record
 * (counted from 0): a request the version refuses, a record that is not a PredictionLog, a corrupt TFRecord
 * (DATA_LOSS, in TensorFlow's words), more than {@value WarmupFile#MAX_RECORDS} records. An interrupted loader
 * thread (the server shutting down) stops the replay between two requests with CANCELLED.
 */
public final class ModelWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(ModelWarmup.class);

    private ModelWarmup() {
    }

    /** {@link #replay(Servable, Path, int, TensorByteLimit)} with the default tensor bound. */
    public static void replay(Servable servable, Path versionDir, int iterations) {
        replay(servable, versionDir, iterations, TensorByteLimit.DEFAULT);
    }

    /**
     * Replays the version's warmup file, if it has one.
     *
     * @param versionDir the version folder the servable was loaded from
     * @param iterations how many times each record is replayed (at least 1)
     * @param limit the bound each record's input tensors are checked against before they run
     * @throws ServingException the first failure, naming the file and the record
     */
    public static void replay(Servable servable, Path versionDir, int iterations, TensorByteLimit limit) {
        if (iterations < 1) {
            throw new IllegalArgumentException("warmup iterations must be >= 1, got " + iterations);
        }
        Path file = WarmupFile.of(versionDir);
        if (!Files.isRegularFile(file)) {
            LOG.debug("No warmup data file found at {}", file);
            return;
        }
        long start = System.nanoTime();
        LOG.info("Starting to read warmup data for model at {} ({} iteration(s) per request)", file, iterations);
        int records = 0;
        int skipped = 0;
        try (TfRecordReader reader = TfRecordReader.open(file)) {
            for (Optional<byte[]> record = reader.next(); record.isPresent(); record = reader.next()) {
                if (records == WarmupFile.MAX_RECORDS) {
                    throw ServingException.invalidArgument("Number of warmup records exceeds the maximum ("
                            + WarmupFile.MAX_RECORDS + ") at " + file);
                }
                PredictionLog log = parse(record.get(), records, file);
                for (int i = 0; i < iterations; i++) {
                    stopIfInterrupted(records, file);
                    if (!replayOne(servable, log, limit, records, file)) {
                        skipped++;
                        LOG.warn("Warmup record {} of {} holds no predict, classify, regress or multi-inference log"
                                + " (log type {}); skipped, as TF Serving skips it", records, file, log.getLogTypeCase());
                        break;
                    }
                }
                records++;
            }
        } catch (CorruptRecordException e) {
            throw new ServingException(Code.DATA_LOSS, "Warmup file " + file + " is corrupt at record " + records
                    + ": " + e.getMessage() + ". Please verify your warmup data is in TFRecord format.", e);
        } catch (IOException e) {
            throw new ServingException(Code.UNKNOWN, "Cannot read warmup file " + file + ": " + e.getMessage(), e);
        }
        LOG.info("Finished reading warmup data for model at {}. Number of warmup records read: {}{}. Elapsed time"
                + " (microseconds): {}.", file, records, skipped == 0 ? "" : " (" + skipped + " skipped)",
                (System.nanoTime() - start) / 1_000);
    }

    /**
     * The manager interrupts loads when the server shuts down: a long warmup then stops between two requests
     * instead of holding the shutdown up (the loader closes the version it had loaded).
     */
    private static void stopIfInterrupted(int index, Path file) {
        if (Thread.currentThread().isInterrupted()) {
            throw new ServingException(Code.CANCELLED, "Warmup stopped at record " + index + " of " + file
                    + ": the load was cancelled");
        }
    }

    private static PredictionLog parse(byte[] record, int index, Path file) {
        try {
            return PredictionLog.parseFrom(record);
        } catch (InvalidProtocolBufferException e) {
            throw ServingException.invalidArgument("Failed to parse warmup record " + index + " from " + file
                    + " as a tensorflow.serving.PredictionLog: " + e.getMessage());
        }
    }

    private static boolean replayOne(Servable servable, PredictionLog log, TensorByteLimit limit, int index, Path file) {
        try {
            return PredictionLogReplay.replay(servable, log, limit);
        } catch (ServingException e) {
            throw new ServingException(e.code(), failedAt(index, file) + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Something below the servable's own checks broke; still say which record did it.
            throw ServingException.internal(failedAt(index, file)
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static String failedAt(int index, Path file) {
        return "Warmup record " + index + " of " + file + " failed: ";
    }
}
