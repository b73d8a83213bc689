package dev.servedeck.core.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.TensorProto;

/**
 * Writes predict outputs as TF Serving's MakeJsonFromTensors does: {@code {"predictions": [...]}} (one entry
 * per row, an object of aliases when there are several outputs) for row requests, {@code {"outputs": ...}}
 * for columnar ones. Every tensor is checked before the first byte is written, so a bad output becomes a
 * clean error response rather than half a JSON document.
 */
final class JsonTensorWriter {

    void write(JsonGenerator g, PredictFormat format, Map<String, TensorProto> outputs) throws IOException {
        List<TensorValues> tensors = checkedTensors(outputs);
        if (format == PredictFormat.ROW) {
            writeRows(g, tensors, batchSize(tensors));
        } else {
            writeColumns(g, tensors);
        }
    }

    private static List<TensorValues> checkedTensors(Map<String, TensorProto> outputs) {
        if (outputs.isEmpty()) {
            throw ServingException.invalidArgument("Cannot convert empty tensor map to JSON");
        }
        List<TensorValues> tensors = new ArrayList<>(outputs.size());
        for (Map.Entry<String, TensorProto> output : outputs.entrySet()) {
            tensors.add(TensorValues.of(output.getKey(), output.getValue()));
        }
        // Stable key order: the core may hand outputs in any map.
        tensors.sort(Comparator.comparing(TensorValues::alias));
        return tensors;
    }

    /** Every output must be batched along its first dimension, to the same size. */
    private static int batchSize(List<TensorValues> tensors) {
        long batch = -1;
        for (TensorValues tensor : tensors) {
            if (tensor.dims().length == 0) {
                throw ServingException.invalidArgument("Tensor name: " + tensor.alias() + " has no shape information ");
            }
            long rows = tensor.dims()[0];
            if (batch >= 0 && batch != rows) {
                throw ServingException.invalidArgument("Tensor name: " + tensor.alias()
                        + " has inconsistent batch size: " + rows + " expecting: " + batch);
            }
            batch = rows;
        }
        return (int) batch;
    }

    private static void writeRows(JsonGenerator g, List<TensorValues> tensors, int rows) throws IOException {
        boolean named = tensors.size() > 1;
        int[] rowSizes = new int[tensors.size()];
        for (int t = 0; t < rowSizes.length; t++) {
            rowSizes[t] = rows == 0 ? 0 : tensors.get(t).size() / rows;
        }
        g.writeStartObject();
        g.writeFieldName("predictions");
        g.writeStartArray();
        for (int row = 0; row < rows; row++) {
            if (named) {
                g.writeStartObject();
            }
            for (int t = 0; t < rowSizes.length; t++) {
                TensorValues tensor = tensors.get(t);
                if (named) {
                    g.writeFieldName(tensor.alias());
                }
                tensor.write(g, 1, row * rowSizes[t]);
            }
            if (named) {
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeColumns(JsonGenerator g, List<TensorValues> tensors) throws IOException {
        boolean named = tensors.size() > 1;
        g.writeStartObject();
        g.writeFieldName("outputs");
        if (named) {
            g.writeStartObject();
        }
        for (TensorValues tensor : tensors) {
            if (named) {
                g.writeFieldName(tensor.alias());
            }
            tensor.write(g, 0, 0);
        }
        if (named) {
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
