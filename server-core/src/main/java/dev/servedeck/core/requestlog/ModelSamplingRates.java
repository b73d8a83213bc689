package dev.servedeck.core.requestlog;

import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelServerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The sampling rate each model's config asks for (TF Serving's {@code logging_config { sampling_config {
 * sampling_rate } }}), read from the config currently applied. Looked up on every request, so the map is
 * rebuilt only when the config object changes (a reload), never per call.
 */
public final class ModelSamplingRates {

    private final Supplier<ModelServerConfig> config;
    private volatile Cached cached = new Cached(null, Map.of());

    public ModelSamplingRates(Supplier<ModelServerConfig> config) {
        this.config = config;
    }

    /** The model's configured rate; empty when its config has no logging_config. */
    public OptionalDouble rateOf(String model) {
        ModelServerConfig current = config.get();
        Cached seen = cached;
        if (seen.config != current) {
            seen = new Cached(current, ratesIn(current));
            cached = seen;
        }
        Double rate = seen.rates.get(model);
        return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate);
    }

    private static Map<String, Double> ratesIn(ModelServerConfig config) {
        Map<String, Double> rates = new HashMap<>();
        for (ModelConfig model : config.getModelConfigList().getConfigList()) {
            if (model.hasLoggingConfig()) {
                rates.put(model.getName(), model.getLoggingConfig().getSamplingConfig().getSamplingRate());
            }
        }
        return Map.copyOf(rates);
    }

    private record Cached(ModelServerConfig config, Map<String, Double> rates) {
    }
}
