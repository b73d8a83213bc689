package dev.servedeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Asks a server one question per model before it is loaded with traffic: a fast wrong answer is no result.
 */
final class PredictionCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final String server;
    private final String baseUrl;
    private final Map<String, String> headers;

    /** @param baseUrl e.g. {@code http://127.0.0.1:8501}; {@code http} must trust its certificate for https */
    PredictionCheck(String server, String baseUrl, HttpClient http) {
        this(server, baseUrl, http, Map.of());
    }

    /** @param headers sent with every request (a bearer token for a server that requires one) */
    PredictionCheck(String server, String baseUrl, HttpClient http, Map<String, String> headers) {
        this.server = server;
        this.baseUrl = baseUrl;
        this.http = http;
        this.headers = Map.copyOf(headers);
    }

    /**
     * True once the model answers 200. Servers may listen before their models are loaded, answering 404
     * (not found) or 503 (unavailable) meanwhile; any other answer is a broken server, reported at once
     * rather than waited out.
     */
    boolean answers(Workload workload) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = post(workload);
        } catch (IOException notListeningYet) {
            return false;
        }
        int status = response.statusCode();
        if (status == 200) {
            return true;
        }
        if (status == 404 || status == 503) {
            return false;
        }
        throw new IllegalStateException(server + " " + workload.path() + " answered HTTP " + status + ": "
                + response.body());
    }

    /** half_plus_two [[1.0]] must give 2.5; the MLP one row of 10 probabilities summing to 1 and a class. */
    void verifyAnswers() throws IOException, InterruptedException {
        JsonNode halfPlusTwo = predictions(Workload.halfPlusTwo());
        double y = halfPlusTwo.path(0).path(0).asDouble(Double.NaN);
        require(Math.abs(y - 2.5) < 1e-6, "half_plus_two [[1.0]] should give [[2.5]]", halfPlusTwo);

        JsonNode mlp = predictions(Workload.mlp());
        JsonNode probabilities = mlp.path(0).path("probabilities");
        double sum = 0;
        for (JsonNode probability : probabilities) {
            sum += probability.asDouble();
        }
        require(probabilities.size() == 10 && Math.abs(sum - 1) < 1e-3,
                "mlp should give 10 probabilities summing to 1", mlp);
        require(mlp.path(0).path("classes").canConvertToLong(), "mlp should give an integer class", mlp);
        System.out.println(server + " answers correctly (half_plus_two [[1.0]] -> " + halfPlusTwo + ")");
    }

    private JsonNode predictions(Workload workload) throws IOException, InterruptedException {
        HttpResponse<String> response = post(workload);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(server + " " + workload.path() + " answered HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("predictions");
    }

    private HttpResponse<String> post(Workload workload) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + workload.path()))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(workload.requestBody()));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void require(boolean condition, String expectation, JsonNode actual) {
        if (!condition) {
            throw new IllegalStateException(server + " gave a wrong answer: " + expectation + ", got " + actual);
        }
    }
}
