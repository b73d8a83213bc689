package dev.servedeck.core.requestlog;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the request log samples and where it writes.
 *
 * @param file the JSON-lines file ({@code --request_log_file}); empty keeps entries in memory only (live tail)
 * @param samplingRate the share of requests logged for models whose config has no {@code logging_config}
 *     ({@code --request_log_sampling_rate}, 0..1)
 * @param includeBodies log input and output tensors too ({@code --request_log_include_bodies})
 * @param maxFileBytes the file is rotated before it grows past this
 * @param maxFiles how many files are kept, the current one included ({@code file}, {@code file.1}, ...)
 * @param queueCapacity entries waiting for the writer thread; more are dropped and counted
 * @param recentCapacity entries kept in memory for {@link RequestLog#recent(int)}
 */
public record RequestLogOptions(
        Optional<Path> file,
        double samplingRate,
        boolean includeBodies,
        long maxFileBytes,
        int maxFiles,
        int queueCapacity,
        int recentCapacity) {

    public static final long DEFAULT_MAX_FILE_BYTES = 100L * 1024 * 1024;
    public static final int DEFAULT_MAX_FILES = 5;

    public RequestLogOptions {
        Objects.requireNonNull(file, "file");
        if (!(samplingRate >= 0 && samplingRate <= 1)) {
            throw new IllegalArgumentException("samplingRate must be within [0, 1], was " + samplingRate);
        }
        if (maxFileBytes <= 0 || maxFiles < 1 || queueCapacity < 1 || recentCapacity < 0) {
            throw new IllegalArgumentException("maxFileBytes, maxFiles and queueCapacity must be positive");
        }
    }

    /** No file, nothing sampled unless a model's logging_config asks for it. */
    public static RequestLogOptions defaults() {
        return new RequestLogOptions(Optional.empty(), 0, false, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, 10_000, 1_000);
    }

    public RequestLogOptions withFile(Path newFile) {
        return new RequestLogOptions(Optional.of(newFile), samplingRate, includeBodies, maxFileBytes, maxFiles,
                queueCapacity, recentCapacity);
    }

    public RequestLogOptions withSamplingRate(double rate) {
        return new RequestLogOptions(file, rate, includeBodies, maxFileBytes, maxFiles, queueCapacity, recentCapacity);
    }

    public RequestLogOptions withIncludeBodies(boolean include) {
        return new RequestLogOptions(file, samplingRate, include, maxFileBytes, maxFiles, queueCapacity, recentCapacity);
    }

    public RequestLogOptions withRotation(long newMaxFileBytes, int newMaxFiles) {
        return new RequestLogOptions(file, samplingRate, includeBodies, newMaxFileBytes, newMaxFiles, queueCapacity,
                recentCapacity);
    }

    public RequestLogOptions withQueueCapacity(int capacity) {
        return new RequestLogOptions(file, samplingRate, includeBodies, maxFileBytes, maxFiles, capacity, recentCapacity);
    }
}
