package dev.servedeck.core;

import dev.servedeck.core.servable.RunPhases;
import dev.servedeck.core.servable.ServableId;

/**
 * One successful call into a loaded model: a request run alone, or a whole batch.
 *
 * @param servable the version that ran
 * @param api TF Serving's API name: {@code Predict}, {@code Classify} or {@code Regress}
 * @param batchSize rows the model ran on: the first dimension of the first input (padding of a batch included; 1
 *     for a scalar), or the number of examples
 * @param phases where the time went (Classify and Regress: all of it in the run)
 */
public record ModelRun(ServableId servable, String api, long batchSize, RunPhases phases) {
}
