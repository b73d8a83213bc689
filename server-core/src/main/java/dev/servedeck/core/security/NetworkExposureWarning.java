package dev.servedeck.core.security;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server whose API is bound to an address other than loopback, without {@code --auth_tokens_file}, lets anyone
 * who reaches it replace the model config. That is TF Serving's default, so it stays allowed, but it is said
 * loudly at start and again every hour, so that it shows in any log window someone happens to look at.
 */
public final class NetworkExposureWarning implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkExposureWarning.class);

    private final String message;
    private final ScheduledExecutorService repeater;

    private NetworkExposureWarning(String message, Duration interval) {
        this.message = message;
        this.repeater = DaemonTimer.named("network-exposure-warning");
        long millis = Math.max(1, interval.toMillis());
        repeater.scheduleAtFixedRate(this::warn, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Warns now and every {@code interval} when one of {@code bound} (API name to bound address) is not loopback
     * and {@code authorizer} requires no tokens; otherwise does nothing and returns empty.
     */
    public static Optional<NetworkExposureWarning> startIfExposed(Map<String, InetSocketAddress> bound,
            Authorizer authorizer, Duration interval) {
        if (authorizer.enabled()) {
            return Optional.empty();
        }
        List<String> exposed = bound.entrySet().stream()
                .filter(api -> !api.getValue().getAddress().isLoopbackAddress())
                .map(api -> api.getKey() + " on " + describe(api.getValue()))
                .sorted()
                .toList();
        if (exposed.isEmpty()) {
            return Optional.empty();
        }
        NetworkExposureWarning warning = new NetworkExposureWarning(message(exposed, interval), interval);
        warning.warn();
        return Optional.of(warning);
    }

    private static String message(List<String> exposed, Duration interval) {
        return "SECURITY WARNING: " + exposed.stream().collect(Collectors.joining(" and "))
                + (exposed.size() == 1 ? " is" : " are") + " reachable from the network without authentication "
                + "(no --auth_tokens_file): anyone who can connect may run every model, read the metrics and replace "
                + "or unload the served models (ModelService/HandleReloadConfigRequest). Set --auth_tokens_file "
                + "(docs/security-tokens.md) or bind to 127.0.0.1 (--rest_api_host, --grpc_host). Repeated every "
                + describe(interval) + ".";
    }

    private static String describe(InetSocketAddress address) {
        if (address.getAddress().isAnyLocalAddress()) {
            // 0.0.0.0 is reported back as :: on a dual-stack socket: name what it means instead.
            return "all interfaces (port " + address.getPort() + ")";
        }
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String describe(Duration interval) {
        return interval.toHours() >= 1 && interval.toMinutesPart() == 0 ? interval.toHours() + " h"
                : interval.toSeconds() >= 1 ? interval.toSeconds() + " s" : interval.toMillis() + " ms";
    }

    private void warn() {
        LOG.warn(message);
    }

    @Override
    public void close() {
        repeater.shutdownNow();
    }
}
