package dev.servedeck.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The fair baseline: the server anyone would write in an afternoon with the JDK's HTTP server, Jackson
 * and TensorFlow Java. No validation, no model lifecycle, no metrics; only {@code POST
 * /v1/models/NAME:predict} with float row-format instances. It runs in its own JVM, like the real server.
 *
 * <p>Started with {@code -Dsun.net.httpserver.nodelay=true}: without it the JDK server's responses wait on
 * Nagle's algorithm (about 44 ms each), which would make any comparison meaningless.
 *
 * <p>Arguments: {@code PORT NAME=SAVED_MODEL_DIR...}
 */
public final class NaiveBaselineServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/v1/models/";
    private static final String SUFFIX = ":predict";

    private final Map<String, LoadedModel> models;

    private NaiveBaselineServer(Map<String, LoadedModel> models) {
        this.models = models;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: NaiveBaselineServer PORT NAME=SAVED_MODEL_DIR...");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Map<String, LoadedModel> models = new HashMap<>();
        for (String model : List.of(args).subList(1, args.length)) {
            String[] nameAndDir = model.split("=", 2);
            models.put(nameAndDir[0], LoadedModel.load(nameAndDir[1]));
        }
        NaiveBaselineServer baseline = new NaiveBaselineServer(models);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        http.createContext(PREFIX, baseline::handle);
        http.setExecutor(Executors.newFixedThreadPool(4 * Runtime.getRuntime().availableProcessors()));
        http.start();
        System.out.println("NaiveBaselineServer listening on 127.0.0.1:" + port + " serving " + models.keySet());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            LoadedModel model = path.endsWith(SUFFIX)
                    ? models.get(path.substring(PREFIX.length(), path.length() - SUFFIX.length()))
                    : null;
            if (model == null) {
                send(exchange, 404, "{\"error\": \"no such model\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            send(exchange, 200, model.predict(request.get("instances")));
        } catch (RuntimeException e) {
            send(exchange, 400, JSON.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage()))));
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A SavedModel's serving_default signature, called by tensor name as TF Serving does. */
    private record LoadedModel(SavedModelBundle bundle, String inputTensor, List<String> outputKeys,
            List<String> outputTensors) {

        static LoadedModel load(String dir) {
            SavedModelBundle bundle = SavedModelBundle.load(dir, "serve");
            var signature = bundle.metaGraphDef().getSignatureDefOrThrow("serving_default");
            String input = signature.getInputsMap().values().iterator().next().getName();
            List<String> keys = List.copyOf(signature.getOutputsMap().keySet());
            List<String> tensors = keys.stream().map(key -> signature.getOutputsOrThrow(key).getName()).toList();
            return new LoadedModel(bundle, input, keys, tensors);
        }

        /** Float instances in, {@code {"predictions": ...}} in TF Serving's row format out. */
        byte[] predict(JsonNode instances) throws IOException {
            int rows = instances.size();
            int width = instances.get(0).size();
            float[] values = new float[rows * width];
            for (int row = 0; row < rows; row++) {
                for (int column = 0; column < width; column++) {
                    values[row * width + column] = instances.get(row).get(column).floatValue();
                }
            }
            Session.Runner runner = bundle.session().runner();
            outputTensors.forEach(runner::fetch);
            try (TFloat32 input = TFloat32.tensorOf(Shape.of(rows, width), DataBuffers.of(values, true, false));
                    Result result = runner.feed(inputTensor, input).run()) {
                return predictionsJson(result, rows);
            }
        }

        private byte[] predictionsJson(Result result, int rows) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (JsonGenerator json = JSON.createGenerator(bytes)) {
                json.writeStartObject();
                json.writeArrayFieldStart("predictions");
                for (int row = 0; row < rows; row++) {
                    // One output: the row's value itself; several: an object keyed by output name.
                    if (outputKeys.size() == 1) {
                        writeRow(json, result.get(0), row);
                    } else {
                        json.writeStartObject();
                        for (int output = 0; output < outputKeys.size(); output++) {
                            json.writeFieldName(outputKeys.get(output));
                            writeRow(json, result.get(output), row);
                        }
                        json.writeEndObject();
                    }
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            return bytes.toByteArray();
        }

        private static void writeRow(JsonGenerator json, Tensor tensor, int row) throws IOException {
            Shape shape = tensor.shape();
            if (shape.numDimensions() == 1) {
                writeValue(json, tensor, row);
                return;
            }
            json.writeStartArray();
            for (long column = 0; column < shape.get(1); column++) {
                writeValue(json, tensor, row, column);
            }
            json.writeEndArray();
        }

        private static void writeValue(JsonGenerator json, Tensor tensor, long... coordinates) throws IOException {
            if (tensor instanceof TFloat32 floats) {
                json.writeNumber(floats.getFloat(coordinates));
            } else if (tensor instanceof TInt64 longs) {
                json.writeNumber(longs.getLong(coordinates));
            } else {
                throw new IllegalArgumentException("Unsupported output type " + tensor.dataType());
            }
        }
    }
}
