package dev.servedeck.core.requestlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.servedeck.core.servable.Classification;
import dev.servedeck.core.servable.ExampleBatch;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.TensorProto;

/**
 * Sizes and JSON bodies of logged requests, computed only for sampled ones. Sizes are the same whichever
 * front end carried the call: tensors and tf.Examples count their protobuf-serialized bytes, classify and
 * regress results 4 bytes per score plus label bytes. Bodies print tensors and examples in protobuf's
 * JSON mapping.
 */
public final class Payloads {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFactory JSON = new JsonFactory();

    private Payloads() {
    }

    public static long sizeOf(Map<String, TensorProto> tensors) {
        long bytes = 0;
        for (TensorProto tensor : tensors.values()) {
            bytes += tensor.getSerializedSize();
        }
        return bytes;
    }

    public static long sizeOf(ExampleBatch batch) {
        long bytes = batch.context().map(Example::getSerializedSize).orElse(0);
        for (Example example : batch.examples()) {
            bytes += example.getSerializedSize();
        }
        return bytes;
    }

    public static long sizeOfClassifications(List<List<Classification>> results) {
        long bytes = 0;
        for (List<Classification> classes : results) {
            for (Classification c : classes) {
                bytes += Float.BYTES + c.label().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }

    public static long sizeOfRegressions(List<Float> results) {
        return (long) Float.BYTES * results.size();
    }

    /** {@code {"alias": <TensorProto as JSON>, ...}}. */
    public static String json(Map<String, TensorProto> tensors) {
        return object(g -> {
            for (Map.Entry<String, TensorProto> tensor : tensors.entrySet()) {
                g.writeFieldName(tensor.getKey());
                g.writeRawValue(print(tensor.getValue()));
            }
        });
    }

    /** {@code {"examples": [...], "context": {...}}}. */
    public static String json(ExampleBatch batch) {
        return object(g -> {
            g.writeArrayFieldStart("examples");
            for (Example example : batch.examples()) {
                g.writeRawValue(print(example));
            }
            g.writeEndArray();
            if (batch.context().isPresent()) {
                g.writeFieldName("context");
                g.writeRawValue(print(batch.context().get()));
            }
        });
    }

    /** {@code {"results": [[["label", score], ...], ...]}}, as TF Serving's REST API answers Classify. */
    public static String jsonOfClassifications(List<List<Classification>> results) {
        return object(g -> {
            g.writeArrayFieldStart("results");
            for (List<Classification> classes : results) {
                g.writeStartArray();
                for (Classification c : classes) {
                    g.writeStartArray();
                    g.writeString(c.label());
                    g.writeNumber(c.score());
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        });
    }

    /** {@code {"results": [...]}}, as TF Serving's REST API answers Regress. */
    public static String jsonOfRegressions(List<Float> results) {
        return object(g -> {
            g.writeArrayFieldStart("results");
            for (Float value : results) {
                g.writeNumber(value);
            }
            g.writeEndArray();
        });
    }

    private static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Cannot print a " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static String object(Fields fields) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }
}
