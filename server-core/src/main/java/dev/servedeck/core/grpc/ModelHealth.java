package dev.servedeck.core.grpc;

import dev.servedeck.core.ServerHealth;
import dev.servedeck.core.admin.ModelStates;
import dev.servedeck.core.servable.ServableState;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard {@code grpc.health.v1.Health} service, fed by the core's {@link ModelStates}:
 * <ul>
 *   <li>service {@code ""} (what Kubernetes' gRPC probe asks by default): the server's readiness, the rule
 *       {@code /v1/health} answers with (SERVING while every configured model has an AVAILABLE version),
 *       NOT_SERVING once it shuts down;</li>
 *   <li>service {@code "<model name>"}: SERVING while at least one version of the model is AVAILABLE,
 *       NOT_SERVING otherwise (loading, unloaded, failed); a name never configured answers NOT_FOUND.</li>
 * </ul>
 */
final class ModelHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelHealth.class);

    private final HealthStatusManager health = new HealthStatusManager();
    private final ModelStates states;
    private final Supplier<ServerHealth> serverHealth;
    private final AutoCloseable subscription;

    /**
     * @param serverHealth the whole server's readiness (every configured model has an AVAILABLE version), the
     *     same rule {@code /v1/health} answers with: the empty service name reports it
     */
    ModelHealth(ModelStates states, Supplier<ServerHealth> serverHealth) {
        this.states = states;
        this.serverHealth = serverHealth;
        // Subscribe first, then publish what is known, so that no change in between is missed.
        this.subscription = states.subscribe(this::onStateChange);
        states.all().keySet().forEach(this::publish);
    }

    BindableService service() {
        return health.getHealthService();
    }

    private void onStateChange(ServableState state) {
        publish(state.id().name());
    }

    private void publish(String model) {
        health.setStatus(model, states.hasAvailableVersion(model) ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                serverHealth.get().ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    /** Every service answers NOT_SERVING from now on (probes see the shutdown before connections close). */
    void enterShutdown() {
        health.enterTerminalState();
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.warn("Could not unsubscribe the gRPC health service from model states", e);
        }
    }
}
