package dev.servedeck.core.oip;

import dev.servedeck.core.admin.ModelAdministration;
import dev.servedeck.core.admin.ModelStates;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.source.ServableVersionPolicy;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ModelConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol's model repository extension (Triton's index, load and unload) over the core's
 * {@link ModelAdministration}: ServeDeck's repository is the model config in force, so loading adds a model to
 * it and unloading removes one, and every rule (names, base paths, the {@code --model_base_path_allowlist},
 * in-flight requests finishing before a version unloads) is the administration's, not this class's.
 *
 * <p>A config names a model's base path, which Triton's load call has no field for. So a model unloaded here is
 * remembered (its base path and version policy, in memory until the server stops) and a load by name brings it
 * back, as a Triton client expects of unload then load; any other model not in the config needs the
 * {@value #BASE_PATH_PARAMETER} string parameter. The rules are listed in {@code docs/open-inference-protocol.md}.
 *
 * <p>Thread-safe: the administration applies one change at a time.
 */
public final class ModelRepository {

    /** The load parameter naming the base path (version folders by number) of a model not in the config. */
    public static final String BASE_PATH_PARAMETER = "base_path";
    /** Triton's unload parameter: accepted, and nothing to do, since no ServeDeck model loads others with it. */
    public static final String UNLOAD_DEPENDENTS_PARAMETER = "unload_dependents";

    /** How long an unload waits for the model's versions to end (in-flight requests finish first). */
    static final Duration UNLOAD_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

    private final ModelAdministration administration;
    private final ModelStates states;
    /** Models unloaded through this extension, by name: what a load by name alone brings back. */
    private final Map<String, ModelConfig> unloaded = new ConcurrentHashMap<>();

    public ModelRepository(ModelAdministration administration, ModelStates states) {
        this.administration = Objects.requireNonNull(administration, "administration");
        this.states = Objects.requireNonNull(states, "states");
    }

    /**
     * Every model the config names or the server has served since it started, one row per version seen (one row
     * without a version for a configured model none of whose versions was seen yet), by name then version.
     *
     * @param readyOnly only the versions serving requests now
     */
    public List<RepositoryEntry> index(boolean readyOnly) {
        SortedMap<String, SortedMap<Long, ServableState>> models = new TreeMap<>(states.all());
        for (ModelConfig model : administration.config().getModelConfigList().getConfigList()) {
            models.putIfAbsent(model.getName(), new TreeMap<>());
        }
        List<RepositoryEntry> entries = new ArrayList<>();
        models.forEach((name, versions) -> {
            if (versions.isEmpty()) {
                entries.add(new RepositoryEntry(name, "", "UNAVAILABLE", "no version found yet"));
            }
            versions.forEach((version, state) -> entries.add(entry(name, version, state)));
        });
        return readyOnly ? entries.stream().filter(RepositoryEntry::ready).toList() : List.copyOf(entries);
    }

    /**
     * Makes sure {@code model} is served: nothing to do when the config has it with an AVAILABLE version; a model
     * not in the config is added from {@code basePath}, or else from where it was when unloaded here. Returns once
     * it has loaded.
     *
     * @throws ServingException NOT_FOUND for a model neither configured, nor unloaded here, nor given a base path;
     *     INVALID_ARGUMENT for a base path other than the configured one, or one the administration refuses
     *     (not a folder, outside the allowlist); FAILED_PRECONDITION for a configured model with no AVAILABLE
     *     version (its states say why); INVALID_ARGUMENT for any other parameter (Triton's {@code config} and
     *     {@code file:} ones describe Triton models, which ServeDeck cannot honour)
     */
    public void load(String model, Map<String, Object> parameters) {
        requireName(model);
        Optional<String> basePath = basePath(parameters);
        Optional<ModelConfig> configured = configured(model);
        if (configured.isPresent()) {
            requireSameBasePath(configured.get(), basePath);
            requireServed(model);
            return;
        }
        ModelConfig remembered = unloaded.get(model);
        Path from = basePath.map(ModelRepository::path)
                .or(() -> Optional.ofNullable(remembered).map(config -> path(config.getBasePath())))
                .orElseThrow(() -> ServingException.notFound("Model " + model + " is not in the model config: "
                        + "ServeDeck needs its base path to load it, as the '" + BASE_PATH_PARAMETER
                        + "' string parameter"));
        // A remembered model comes back under its policy; one loaded from a path named now under TF Serving's
        // default, the latest version.
        ServableVersionPolicy policy = remembered != null && basePath.isEmpty()
                ? ServableVersionPolicy.fromProto(remembered.getModelVersionPolicy())
                : new ServableVersionPolicy.Latest(1);
        try {
            administration.addModel(model, from, policy);
        } catch (ServingException e) {
            if (e.code() != Code.ALREADY_EXISTS) {
                throw e;
            }
            // Another client added it between our look and our add: served is what was asked for.
            requireServed(model);
            return;
        }
        unloaded.remove(model);
        LOG.info("Model repository extension: loaded {} from {}", model, from);
    }

    /**
     * Stops serving {@code model}: it leaves the config (its labels with it) and its versions unload once their
     * in-flight requests finish. Returns once they have (or after {@link #UNLOAD_WAIT}), so that what the client
     * reads next (the index, an inference) says "unloaded", not "unloading".
     *
     * @param parameters only {@value #UNLOAD_DEPENDENTS_PARAMETER}, ignored
     * @throws ServingException NOT_FOUND for a model not in the config, INVALID_ARGUMENT for another parameter
     */
    public void unload(String model, Map<String, Object> parameters) {
        requireName(model);
        refuseOtherThan(UNLOAD_DEPENDENTS_PARAMETER, parameters, "unload");
        ModelConfig config = configured(model).orElseThrow(() ->
                ServingException.notFound("Model " + model + " is not in the model config"));
        administration.removeModel(model);
        unloaded.put(model, config);
        awaitUnloaded(model);
        LOG.info("Model repository extension: unloaded {}", model);
    }

    /** The administration returns once the config is applied; versions then wait for their in-flight requests. */
    private void awaitUnloaded(String model) {
        long deadline = System.nanoTime() + UNLOAD_WAIT.toNanos();
        try {
            for (ServableState state : states.versions(model).values()) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!states.awaitState(state.id(), ManagerState.END, left)) {
                    // Applied all the same: the version ends once its last request does.
                    LOG.warn("Model repository extension: {} version {} still unloading after {}", model,
                            state.id().version(), UNLOAD_WAIT);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<String> basePath(Map<String, Object> parameters) {
        refuseOtherThan(BASE_PATH_PARAMETER, parameters, "load");
        Object value = parameters.get(BASE_PATH_PARAMETER);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw ServingException.invalidArgument("The '" + BASE_PATH_PARAMETER + "' parameter must be a folder "
                    + "path as a string");
        }
        return Optional.of(text);
    }

    /** Parameters are refused, never ignored: a client must not believe a setting applied that did not. */
    private static void refuseOtherThan(String accepted, Map<String, Object> parameters, String call) {
        for (String name : new TreeMap<>(parameters).keySet()) {
            if (!name.equals(accepted)) {
                throw ServingException.invalidArgument("ServeDeck's repository " + call + " takes only the '"
                        + accepted + "' parameter, not '" + name + "'");
            }
        }
    }

    private Optional<ModelConfig> configured(String model) {
        return administration.config().getModelConfigList().getConfigList().stream()
                .filter(config -> config.getName().equals(model))
                .findFirst();
    }

    /** Loading a configured model from elsewhere would be a silent replace: unload it first instead. */
    private static void requireSameBasePath(ModelConfig configured, Optional<String> basePath) {
        if (basePath.isPresent() && !path(basePath.get()).equals(path(configured.getBasePath()))) {
            throw ServingException.invalidArgument("Model " + configured.getName() + " is served from "
                    + configured.getBasePath() + "; unload it before loading it from " + basePath.get());
        }
    }

    private void requireServed(String model) {
        if (!states.hasAvailableVersion(model)) {
            List<String> seen = new ArrayList<>();
            states.versions(model).forEach((version, state) -> seen.add(version + " " + state.state()
                    + (state.health().message().isEmpty() ? "" : " (" + state.health().message() + ")")));
            throw ServingException.failedPrecondition("Model " + model + " is in the model config but has no "
                    + "AVAILABLE version" + (seen.isEmpty() ? "" : ": " + String.join(", ", seen)));
        }
    }

    private static RepositoryEntry entry(String name, long version, ServableState state) {
        String reason = state.health().message();
        String named = switch (state.state()) {
            case START, LOADING -> "LOADING";
            case AVAILABLE -> RepositoryEntry.READY;
            case UNLOADING -> "UNLOADING";
            case END -> "UNAVAILABLE";
        };
        if (named.equals("UNAVAILABLE") && reason.isEmpty()) {
            reason = "unloaded";
        }
        return new RepositoryEntry(name, Long.toString(version), named, reason);
    }

    private static void requireName(String model) {
        if (model == null || model.isBlank()) {
            throw ServingException.invalidArgument("A model name is required");
        }
    }

    private static Path path(String text) {
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ServingException.invalidArgument("Not a base path: " + text);
        }
    }
}
