package dev.servedeck.core;

import java.util.Objects;

/**
 * Whether the server can take traffic, for load balancers and Kubernetes probes.
 *
 * @param ready true when every configured model has an AVAILABLE version
 * @param reason why it is not ready (empty when ready)
 */
public record ServerHealth(boolean ready, String reason) {

    public static final ServerHealth READY = new ServerHealth(true, "");

    public ServerHealth {
        Objects.requireNonNull(reason, "reason");
    }

    public static ServerHealth notReady(String reason) {
        return new ServerHealth(false, reason);
    }
}
