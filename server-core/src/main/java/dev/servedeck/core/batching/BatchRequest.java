package dev.servedeck.core.batching;

import dev.servedeck.core.servable.ServableId;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.tensorflow.proto.TensorProto;

/**
 * One Predict call handed to the {@link BatchScheduler}.
 *
 * @param servable the version that serves it; only requests on the same version share a batch
 * @param loadedInstance the loaded servable of that version, compared by identity: a version unloaded and
 *     loaded again is a new instance, whose requests never share a batch with ones still queued for the old one
 * @param signatureName the signature it runs
 * @param inputs its tensors, already found batchable
 * @param runner runs a merged batch on that version and signature with this request's output filter; the
 *     caller keeps the version loaded until the returned future completes
 * @param timeout how long the request may wait before its batch runs; {@link Duration#ZERO} means no
 *     deadline, a negative value one that has already passed
 * @param modelOptions per-model batching parameters of the version, if it has its own
 */
public record BatchRequest(
        ServableId servable,
        Object loadedInstance,
        String signatureName,
        BatchableInputs inputs,
        Function<Map<String, TensorProto>, Map<String, TensorProto>> runner,
        Duration timeout,
        Optional<BatchingOptions> modelOptions) {

    public BatchRequest {
        Objects.requireNonNull(servable, "servable");
        Objects.requireNonNull(loadedInstance, "loadedInstance");
        Objects.requireNonNull(signatureName, "signatureName");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(modelOptions, "modelOptions");
    }
}
