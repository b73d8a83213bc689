package dev.servedeck.bench;

import java.util.StringJoiner;

/**
 * One kind of predict request, sent the same way to every server: by default TF Serving's
 * ({@code /v1/models/NAME:predict} with a row-format JSON body), else the Open Inference Protocol's.
 *
 * @param model       the served model's name
 * @param requestBody {@code {"instances": ...}} with {@code rows} instances (or a v2 inference request)
 * @param rows        instances per request (rows/s = requests/s × rows)
 * @param path        where it is posted
 */
record Workload(String model, String requestBody, int rows, String path) {

    Workload(String model, String requestBody, int rows) {
        this(model, requestBody, rows, "/v1/models/" + model + ":predict");
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
