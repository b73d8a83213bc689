/**
 * The Open Inference Protocol (KServe v2) over the serving core, independent of transport: its datatypes, its
 * tensors as TF Serving's TensorProtos and back, and its calls (health, metadata, infer) mapped onto
 * {@link dev.servedeck.core.ServingApi}. The REST and gRPC front ends only read and write their wire formats and
 * call {@link dev.servedeck.core.oip.OpenInference}, so both dialects share one mapping, and an inference goes
 * through the same Predict path as TF Serving's API: batching, metrics, the request log and the tensor bounds.
 * The model repository extension ({@link dev.servedeck.core.oip.ModelRepository}) changes models only through the
 * core's {@link dev.servedeck.core.admin.ModelAdministration}.
 */
package dev.servedeck.core.oip;
