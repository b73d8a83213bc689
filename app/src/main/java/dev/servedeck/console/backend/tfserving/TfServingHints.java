package dev.servedeck.console.backend.tfserving;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the console is told about a plain tensorflow_model_server, because TF Serving cannot say it: the names of
 * the models it serves (it has no "list models" call) and where its Prometheus metrics are (its
 * {@code --monitoring_config_file} path on the REST port, or any URL).
 *
 * @param modelNames models to ask GetModelStatus about; more may come from Prometheus and from the console's own
 *     ReloadConfig
 * @param prometheus the metrics' URL, e.g. {@code http://edge-7:8501/monitoring/prometheus/metrics}; empty: no
 *     charts
 */
public record TfServingHints(List<String> modelNames, Optional<URI> prometheus) {

    public static final TfServingHints NONE = new TfServingHints(List.of(), Optional.empty());

    public TfServingHints {
        modelNames = modelNames.stream().map(String::strip).filter(name -> !name.isEmpty()).distinct().toList();
        Objects.requireNonNull(prometheus, "prometheus");
    }
}
