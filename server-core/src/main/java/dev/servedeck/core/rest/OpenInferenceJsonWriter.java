package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.servedeck.core.BatchSizeStatistics;
import dev.servedeck.core.DurationStatistic;
import dev.servedeck.core.VersionStatistics;
import dev.servedeck.core.oip.InferModelMetadata;
import dev.servedeck.core.oip.InferOutput;
import dev.servedeck.core.oip.InferResponse;
import dev.servedeck.core.oip.RepositoryEntry;
import dev.servedeck.core.oip.ServerMetadata;
import dev.servedeck.core.oip.TensorMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/**
 * Writes the Open Inference Protocol's JSON answers. Output data is a flat row-major array; an output answered as
 * binary data carries {@code "parameters": {"binary_data_size": N}} instead, its bytes following the JSON.
 */
final class OpenInferenceJsonWriter {

    void writeInference(JsonGenerator g, InferResponse response, Predicate<String> binary) throws IOException {
        g.writeStartObject();
        g.writeStringField("model_name", response.model());
        g.writeStringField("model_version", response.version());
        if (!response.id().isEmpty()) {
            g.writeStringField("id", response.id());
        }
        g.writeArrayFieldStart("outputs");
        for (InferOutput output : response.outputs()) {
            g.writeStartObject();
            g.writeStringField("name", output.name());
            g.writeStringField("datatype", output.datatype().name());
            writeShape(g, output.shape());
            if (binary.test(output.name())) {
                g.writeObjectFieldStart("parameters");
                g.writeNumberField("binary_data_size", output.raw().size());
                g.writeEndObject();
            } else {
                g.writeFieldName("data");
                writeData(g, output);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    void writeServerMetadata(JsonGenerator g, ServerMetadata metadata) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", metadata.name());
        g.writeStringField("version", metadata.version());
        g.writeArrayFieldStart("extensions");
        for (String extension : metadata.extensions()) {
            g.writeString(extension);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The repository index: an array of {name, version, state, reason}, version left out when there is none. */
    void writeRepositoryIndex(JsonGenerator g, List<RepositoryEntry> index) throws IOException {
        g.writeStartArray();
        for (RepositoryEntry entry : index) {
            g.writeStartObject();
            g.writeStringField("name", entry.name());
            if (!entry.version().isEmpty()) {
                g.writeStringField("version", entry.version());
            }
            g.writeStringField("state", entry.state());
            g.writeStringField("reason", entry.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Triton's {@code $stats_model_response}: one object per model version, durations in nanoseconds. */
    void writeStatistics(JsonGenerator g, List<VersionStatistics> statistics) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("model_stats");
        for (VersionStatistics version : statistics) {
            g.writeStartObject();
            g.writeStringField("name", version.id().name());
            g.writeStringField("version", Long.toString(version.id().version()));
            g.writeNumberField("last_inference", version.lastInferenceMillis());
            g.writeNumberField("inference_count", version.inferenceCount());
            g.writeNumberField("execution_count", version.executionCount());
            g.writeObjectFieldStart("inference_stats");
            writeDuration(g, "success", version.success());
            writeDuration(g, "fail", version.fail());
            writeDuration(g, "queue", version.queue());
            writeDuration(g, "compute_input", version.computeInput());
            writeDuration(g, "compute_infer", version.computeInfer());
            writeDuration(g, "compute_output", version.computeOutput());
            // No response cache: Triton's clients read these fields, so they are there, at zero.
            writeDuration(g, "cache_hit", DurationStatistic.NONE);
            writeDuration(g, "cache_miss", DurationStatistic.NONE);
            g.writeEndObject();
            g.writeArrayFieldStart("batch_stats");
            for (BatchSizeStatistics batch : version.batches()) {
                g.writeStartObject();
                g.writeNumberField("batch_size", batch.batchSize());
                writeDuration(g, "compute_input", batch.computeInput());
                writeDuration(g, "compute_infer", batch.computeInfer());
                writeDuration(g, "compute_output", batch.computeOutput());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeDuration(JsonGenerator g, String name, DurationStatistic duration) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", duration.count());
        g.writeNumberField("ns", duration.nanos());
        g.writeEndObject();
    }

    void writeModelMetadata(JsonGenerator g, InferModelMetadata metadata) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", metadata.name());
        g.writeArrayFieldStart("versions");
        for (String version : metadata.versions()) {
            g.writeString(version);
        }
        g.writeEndArray();
        g.writeStringField("platform", metadata.platform());
        writeTensors(g, "inputs", metadata.inputs());
        writeTensors(g, "outputs", metadata.outputs());
        g.writeEndObject();
    }

    private static void writeTensors(JsonGenerator g, String field, List<TensorMetadata> tensors) throws IOException {
        g.writeArrayFieldStart(field);
        for (TensorMetadata tensor : tensors) {
            g.writeStartObject();
            g.writeStringField("name", tensor.name());
            g.writeStringField("datatype", tensor.datatype());
            writeShape(g, tensor.shape());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeShape(JsonGenerator g, long[] shape) throws IOException {
        g.writeFieldName("shape");
        g.writeArray(shape, 0, shape.length);
    }

    /** The values, flat and row-major; BYTES as UTF-8 strings (the protocol's JSON has no other form for them). */
    private static void writeData(JsonGenerator g, InferOutput output) throws IOException {
        g.writeStartArray();
        if (output.strings().size() > 0 || output.packed().isEmpty()) {
            for (var element : output.strings()) {
                g.writeString(element.toString(StandardCharsets.UTF_8));
            }
            g.writeEndArray();
            return;
        }
        ByteBuffer values = output.packed().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        while (values.hasRemaining()) {
            switch (output.datatype()) {
                case BOOL -> g.writeBoolean(values.get() != 0);
                case INT8 -> g.writeNumber(values.get());
                case UINT8 -> g.writeNumber(Byte.toUnsignedInt(values.get()));
                case INT16 -> g.writeNumber(values.getShort());
                case UINT16 -> g.writeNumber(Short.toUnsignedInt(values.getShort()));
                case INT32 -> g.writeNumber(values.getInt());
                case UINT32 -> g.writeNumber(Integer.toUnsignedLong(values.getInt()));
                case INT64 -> g.writeNumber(values.getLong());
                case UINT64 -> g.writeNumber(Long.toUnsignedString(values.getLong()));
                case FP16 -> g.writeNumber(HalfFloats.halfToFloat(values.getShort() & 0xFFFF));
                case BF16 -> g.writeNumber(HalfFloats.bfloat16ToFloat(values.getShort() & 0xFFFF));
                case FP32 -> g.writeNumber(values.getFloat());
                case FP64 -> g.writeNumber(values.getDouble());
                case BYTES -> throw new IllegalStateException("BYTES outputs are strings");
            }
        }
        g.writeEndArray();
    }
}
