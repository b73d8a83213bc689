package dev.servedeck.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One reading of a ServeDeck's Prometheus endpoint (text format 0.0.4), each sample name summed over its
 * labels: enough to take differences of counters between two readings.
 */
final class PrometheusScrape {

    /** TF Serving's default path, which {@link ServeDeckFlags#monitoringConfig} also writes. */
    static final String PATH = "/monitoring/prometheus/metrics";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Double> totals;

    private PrometheusScrape(Map<String, Double> totals) {
        this.totals = totals;
    }

    static PrometheusScrape of(RunningServer server) throws IOException, InterruptedException {
        HttpClient http = server.httpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.restUrl() + PATH))
                .timeout(TIMEOUT)
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(server.name() + " " + PATH + " answered HTTP " + response.statusCode()
                    + ": " + response.body());
        }
        return parse(response.body());
    }

    /** {@code name{labels} value [timestamp]} lines; comments and unparsable values are skipped. */
    static PrometheusScrape parse(String text) {
        Map<String, Double> totals = new HashMap<>();
        for (String line : text.split("\n")) {
            String sample = line.strip();
            if (sample.isEmpty() || sample.startsWith("#")) {
                continue;
            }
            int labels = sample.indexOf('{');
            int nameEnd = labels >= 0 ? labels : sample.indexOf(' ');
            int valueStart = labels >= 0 ? sample.lastIndexOf('}') + 1 : nameEnd;
            if (nameEnd <= 0 || valueStart <= 0) {
                continue;
            }
            String[] fields = sample.substring(valueStart).strip().split("\\s+");
            try {
                totals.merge(sample.substring(0, nameEnd), Double.parseDouble(fields[0]), Double::sum);
            } catch (NumberFormatException notANumber) {
                // NaN and infinities parse; anything else is not a sample this benchmark reads
            }
        }
        return new PrometheusScrape(totals);
    }

    /** The sum over all label sets, or empty when the server exposes no such sample. */
    OptionalDouble total(String name) {
        Double value = totals.get(name);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
