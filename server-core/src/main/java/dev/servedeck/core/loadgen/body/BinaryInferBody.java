package dev.servedeck.core.loadgen.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.servedeck.proto.inference.ModelInferRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An Open Inference Protocol REST body with the binary tensor extension: the JSON with each input's {@code data}
 * replaced by {@code "parameters": {"binary_data_size": N}}, followed by the inputs' raw bytes in input order, and
 * {@code binary_data_output} asked for, so tensors travel as bytes both ways (as the v2 benchmark's binary row
 * sends them). The raw bytes are packed as for gRPC ({@link JsonInferRequest}: the server's own rule).
 *
 * @param bytes the whole body
 * @param jsonLength the JSON's length: the {@code Inference-Header-Content-Length} header
 */
public record BinaryInferBody(byte[] bytes, int jsonLength) {

    /** The header that says where the JSON ends. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param json an inference body with every input's values in {@code data} */
    public static BinaryInferBody of(String json) {
        ModelInferRequest packed = JsonInferRequest.of(json, "", "");
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(json);
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            int index = 0;
            for (JsonNode input : root.get("inputs")) {
                ByteString contents = packed.getRawInputContents(index++);
                ((ObjectNode) input).remove("data");
                ((ObjectNode) input).with("parameters").put("binary_data_size", contents.size());
                contents.writeTo(raw);
            }
            root.with("parameters").put("binary_data_output", true);
            byte[] header = JSON.writeValueAsBytes(root);
            ByteArrayOutputStream body = new ByteArrayOutputStream(header.length + raw.size());
            body.write(header);
            raw.writeTo(body);
            return new BinaryInferBody(body.toByteArray(), header.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
