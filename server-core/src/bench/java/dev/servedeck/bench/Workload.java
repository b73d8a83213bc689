package dev.servedeck.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One kind of predict request, sent the same way to every server: by default TF Serving's
 * ({@code /v1/models/NAME:predict} with a row-format JSON body), else the Open Inference Protocol's.
 *
 * @param model       the served model's name
 * @param requestBody {@code {"instances": ...}} with {@code rows} instances (or a v2 inference request)
 * @param rows        instances per request (rows/s = requests/s × rows)
 * @param path        where it is posted
 * @param binaryTail  bytes sent after the JSON (the Open Inference Protocol's binary tensor extension); empty for
 *                    none
 */
record Workload(String model, String requestBody, int rows, String path, byte[] binaryTail) {

    Workload(String model, String requestBody, int rows) {
        this(model, requestBody, rows, "/v1/models/" + model + ":predict");
    }

    Workload(String model, String requestBody, int rows, String path) {
        this(model, requestBody, rows, path, new byte[0]);
    }

    /** The whole body: the JSON, then the binary tail. */
    byte[] body() {
        byte[] json = requestBody.getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(json, json.length + binaryTail.length);
        System.arraycopy(binaryTail, 0, body, json.length, binaryTail.length);
        return body;
    }

    /** With a binary tail, the header that says where the JSON ends. */
    Map<String, String> headers() {
        return binaryTail.length == 0 ? Map.of() : Map.of("Inference-Header-Content-Length",
                Integer.toString(requestBody.getBytes(StandardCharsets.UTF_8).length));
    }

    /**
     * The row as an Open Inference Protocol request with binary tensors both ways: the input's bytes after the
     * JSON, every output answered as bytes after the answer's JSON.
     */
    static Workload openInferenceBinary(String model, String input, float[] row) {
        String json = "{\"parameters\": {\"binary_data_output\": true}, \"inputs\": [{\"name\": \"" + input
                + "\", \"shape\": [1, " + row.length + "], \"datatype\": \"FP32\", \"parameters\": "
                + "{\"binary_data_size\": " + row.length * Float.BYTES + "}}]}";
        ByteBuffer bytes = ByteBuffer.allocate(row.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : row) {
            bytes.putFloat(value);
        }
        return new Workload(model, json, 1, "/v2/models/" + model + "/infer", bytes.array());
    }

    /** The same row as an Open Inference Protocol JSON request: one FP32 input of shape [1, row length]. */
    static Workload openInference(String model, String input, float[] row) {
        StringJoiner data = new StringJoiner(", ", "[", "]");
        for (float value : row) {
            data.add(Float.toString(value));
        }
        String body = "{\"inputs\": [{\"name\": \"" + input + "\", \"shape\": [1, " + row.length
                + "], \"datatype\": \"FP32\", \"data\": " + data + "}]}";
        return new Workload(model, body, 1, "/v2/models/" + model + "/infer");
    }

    static final int MLP_INPUT_WIDTH = 784;

    static Workload halfPlusTwo() {
        return new Workload("half_plus_two", "{\"instances\": [[1.0]]}", 1);
    }

    /** One 28×28 "image": a fixed ramp of pixel values, so every run sends the same bytes. */
    static Workload mlp() {
        StringJoiner pixels = new StringJoiner(", ", "{\"instances\": [[", "]]}");
        for (int i = 0; i < MLP_INPUT_WIDTH; i++) {
            pixels.add(Float.toString(mlpPixel(i)));
        }
        return new Workload("mlp", pixels.toString(), 1);
    }

    /** The same pixel values as the JSON body, for the in-process floor. */
    static float[] mlpInstance() {
        float[] pixels = new float[MLP_INPUT_WIDTH];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = mlpPixel(i);
        }
        return pixels;
    }

    private static float mlpPixel(int index) {
        return (index % 256) / 256f;
    }
}
