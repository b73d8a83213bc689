package dev.servedeck.core.warmup;

import dev.servedeck.core.ServingApi;
import dev.servedeck.core.requestlog.Payloads;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.proto.apis.PredictionLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.TensorProto;

/**
 * The latest successful Predict, Classify and Regress requests of each model, so that they can be written as a
 * warmup file (the console's "Save recent requests as warmup file", which no TF Serving tool offers).
 *
 * <p>Why a recorder of its own rather than the request log: the request log keeps sampled metadata, and bodies
 * only as JSON text when asked to, which would have to be parsed back into tensors. The front ends already
 * hold each request as TF Serving's protos (gRPC) or as the TensorProtos decoded from JSON (REST); keeping
 * references to those immutable objects costs no copy and no serialization on the request path, and the
 * PredictionLogs are built only when a file is written. It is fed where each front end's calls enter the
 * core ({@link #recordingFrom}), next to metering, so REST and gRPC are recorded alike; warmup replay itself
 * bypasses it. It records nothing until switched on (the console does; the headless server never does): off,
 * a request costs one volatile read.
 *
 * <p>Bounds, since clients decide what requests hold: per model the last {@code requestsPerModel} requests
 * within {@code bytesPerModel} serialized bytes of tensors or examples (the oldest go first; a request larger
 * than that alone is not kept), and at most {@code maxModels} models (the one recorded least recently goes).
 * Multi-inference calls are recorded as the classify and regress calls they are made of. Thread-safe.
 */
public final class RecentRequests {

    public static final int DEFAULT_REQUESTS_PER_MODEL = 100;
    public static final long DEFAULT_BYTES_PER_MODEL = 16L << 20;
    public static final int DEFAULT_MAX_MODELS = 64;

    private final int requestsPerModel;
    private final long bytesPerModel;
    private final int maxModels;
    /** Least recently recorded first; guarded by {@code this}. */
    private final LinkedHashMap<String, ModelRequests> models = new LinkedHashMap<>(16, 0.75f, true);
    private volatile boolean recording;

    public RecentRequests() {
        this(DEFAULT_REQUESTS_PER_MODEL, DEFAULT_BYTES_PER_MODEL, DEFAULT_MAX_MODELS);
    }

    public RecentRequests(int requestsPerModel, long bytesPerModel, int maxModels) {
        if (requestsPerModel < 1 || bytesPerModel < 1 || maxModels < 1) {
            throw new IllegalArgumentException("recent request bounds must be positive, got " + requestsPerModel
                    + " requests, " + bytesPerModel + " bytes, " + maxModels + " models");
        }
        this.requestsPerModel = Math.min(requestsPerModel, WarmupFile.MAX_RECORDS);
        this.bytesPerModel = bytesPerModel;
        this.maxModels = maxModels;
    }

    /** {@code api} with every successful inference call recorded here while recording is on. */
    public ServingApi recordingFrom(ServingApi api) {
        return new RecordingServingApi(api, this);
    }

    /** Starts or stops recording; stopping forgets what was recorded. */
    public void setRecording(boolean on) {
        recording = on;
        if (!on) {
            synchronized (this) {
                models.clear();
            }
        }
    }

    public boolean recording() {
        return recording;
    }

    void recordPredict(String model, String signature, Map<String, TensorProto> inputs, Set<String> outputFilter) {
        long bytes = Payloads.sizeOf(inputs);
        // Copied (references only): a decoded map must not change under the recorder.
        add(model, new RecordedRequest.Predict(signature, Map.copyOf(inputs), List.copyOf(outputFilter), bytes));
    }

    void recordClassify(String model, String signature, ExampleBatch input) {
        add(model, new RecordedRequest.Classify(signature, input, Payloads.sizeOf(input)));
    }

    void recordRegress(String model, String signature, ExampleBatch input) {
        add(model, new RecordedRequest.Regress(signature, input, Payloads.sizeOf(input)));
    }

    private void add(String model, RecordedRequest request) {
        if (!recording || request.bytes() > bytesPerModel) {
            return;
        }
        synchronized (this) {
            ModelRequests kept = models.computeIfAbsent(model, name -> new ModelRequests());
            kept.add(request, requestsPerModel, bytesPerModel);
            if (models.size() > maxModels) {
                String eldest = models.keySet().iterator().next();
                models.remove(eldest);
            }
        }
    }

    /** How many requests of {@code model} are kept now. */
    public synchronized int count(String model) {
        ModelRequests kept = models.get(model);
        return kept == null ? 0 : kept.requests.size();
    }

    /** The kept requests of {@code model} as TF Serving's PredictionLogs, oldest first. */
    public List<PredictionLog> predictionLogs(String model) {
        List<RecordedRequest> snapshot;
        synchronized (this) {
            ModelRequests kept = models.get(model);
            snapshot = kept == null ? List.of() : new ArrayList<>(kept.requests);
        }
        List<PredictionLog> logs = new ArrayList<>(snapshot.size());
        for (RecordedRequest request : snapshot) {
            logs.add(request.toLog(model));
        }
        return logs;
    }

    /** Drops what was kept for {@code model} (it was removed from the server). */
    public synchronized void forget(String model) {
        models.remove(model);
    }

    /** One model's requests, oldest first, and the bytes they hold. */
    private static final class ModelRequests {

        private final Deque<RecordedRequest> requests = new ArrayDeque<>();
        private long bytes;

        void add(RecordedRequest request, int maxRequests, long maxBytes) {
            requests.addLast(request);
            bytes += request.bytes();
            while (requests.size() > maxRequests || bytes > maxBytes) {
                bytes -= requests.removeFirst().bytes();
            }
        }
    }
}
