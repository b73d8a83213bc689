package dev.servedeck.core.batching;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many Predict requests for each model are on their way into the scheduler: accepted by a front end and waiting
 * for its worker thread, or inside the core (the version is held, the inputs are being decoded), but neither queued
 * nor turned away yet. They are the company a partial batch of that model can expect soon, which is why the
 * adaptive timeout waits for them (never longer than batch_timeout_micros).
 *
 * <p>Counted by model name, not by queue: the queue a request joins is known only once its inputs are decoded. A
 * request for another signature of the model therefore holds this model's partial batches too, never longer than
 * batch_timeout_micros, which is what TF Serving would wait anyway. A model's entry goes when its count reaches
 * zero, so names that are no longer requested do not accumulate.
 */
final class IncomingRequests {

    private final ConcurrentHashMap<String, Integer> byModel = new ConcurrentHashMap<>();

    void add(String model) {
        byModel.merge(model, 1, Integer::sum);
    }

    /** @return true when it was the last request on its way for {@code model} */
    boolean remove(String model) {
        return byModel.compute(model, (name, count) -> count == null || count <= 1 ? null : count - 1) == null;
    }

    boolean any(String model) {
        return byModel.containsKey(model);
    }
}
