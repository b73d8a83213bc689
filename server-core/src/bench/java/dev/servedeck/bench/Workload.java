package dev.servedeck.bench;

import java.util.StringJoiner;

/**
 * One kind of predict request, sent the same way to every server: the model's name in the URL
 * ({@code /v1/models/NAME:predict}) and a TF Serving row-format JSON body.
 *
 * @param model       the served model's name
 * @param requestBody {@code {"instances": ...}} with {@code rows} instances
 * @param rows        instances per request (rows/s = requests/s × rows)
 */
record Workload(String model, String requestBody, int rows) {

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

    String path() {
        return "/v1/models/" + model + ":predict";
    }
}
