package dev.servedeck.core.tls;

import dev.servedeck.core.status.ServingException;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for the REST and gRPC front ends from one SSL config file, reloaded while serving.
 *
 * <p>Start-up reads and checks the config ({@link TlsCredentials#from}); any problem is an INVALID_ARGUMENT and
 * the server does not start. Then, every {@link TlsOptions#pollInterval()}, the config file and the PEM files it
 * names are read again; when their bytes changed, new credentials are checked and both contexts swapped, so new
 * connections get the new certificate while open ones keep theirs. A config that fails the checks at reload is
 * logged once (until it changes again) and the credentials in force stay: a half-written file during a rotation
 * is retried at the next poll, never served.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** A certificate this close to expiry is worth a warning at start and at each reload. */
    private static final Duration EXPIRY_WARNING = Duration.ofDays(7);

    private final Path configFile;
    private final TlsProvider provider;
    private final SwappableSslContext rest;
    private final SwappableSslContext grpc;
    private final ScheduledExecutorService poller;
    private volatile TlsCredentials credentials;
    /** The contents last tried, applied or not: the same broken bytes are not tried and reported again. */
    private SslConfigContents lastRead;

    private ServerTls(Path configFile, TlsProvider provider, SslConfigContents contents, TlsCredentials credentials,
            SslContext rest, SslContext grpc, Duration pollInterval) {
        this.configFile = configFile;
        this.provider = provider;
        this.lastRead = contents;
        this.credentials = credentials;
        this.rest = new SwappableSslContext(rest);
        this.grpc = new SwappableSslContext(grpc);
        if (pollInterval.isZero()) {
            this.poller = null;
            return;
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "servedeck-tls-reload");
            thread.setDaemon(true); // never keeps the JVM alive on its own
            return thread;
        });
        long millis = Math.max(1, pollInterval.toMillis());
        poller.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads and checks the config, builds both contexts and starts watching for new certificates.
     *
     * @throws ServingException INVALID_ARGUMENT naming what is missing, unreadable or mismatched
     */
    public static ServerTls start(TlsOptions options) {
        TlsProvider provider = TlsProvider.detect();
        SslConfigContents contents = SslConfigContents.read(options.sslConfigFile());
        TlsCredentials credentials = TlsCredentials.from(contents);
        ServerTls tls = new ServerTls(options.sslConfigFile(), provider, contents, credentials,
                build(credentials, provider, true), build(credentials, provider, false), options.pollInterval());
        LOG.info("TLS on REST and gRPC with {}; certificate {}; {}; TLS implementation: {}; {}",
                options.sslConfigFile(), credentials.describe(), clientAuthentication(credentials),
                provider.description(), options.pollInterval().isZero() ? "not reloaded (poll wait 0)"
                        : "checked for new certificates every " + options.pollInterval().toMillis() + " ms");
        warnIfExpiring(credentials);
        return tls;
    }

    /** For the REST front end: offers HTTP/1.1 over ALPN. */
    public SslContext restContext() {
        return rest;
    }

    /** For grpc-netty's server builder: offers h2 over ALPN, HTTP/2 cipher suites. */
    public SslContext grpcContext() {
        return grpc;
    }

    /** The credentials new connections get now. */
    public TlsCredentials credentials() {
        return credentials;
    }

    /**
     * Reads the config now and swaps in its credentials if its files changed and pass the checks (what the poller
     * does every interval).
     *
     * @return true when new credentials are in force
     * @throws ServingException INVALID_ARGUMENT when the changed config is not usable; the old credentials stay
     */
    public synchronized boolean reloadIfChanged() {
        SslConfigContents contents = SslConfigContents.read(configFile);
        if (contents.sameAs(lastRead)) {
            return false;
        }
        lastRead = contents;
        TlsCredentials next = TlsCredentials.from(contents);
        SslContext nextRest = build(next, provider, true);
        SslContext nextGrpc = build(next, provider, false);
        TlsCredentials previous = credentials;
        rest.swap(nextRest);
        grpc.swap(nextGrpc);
        credentials = next;
        LOG.info("TLS certificate reloaded from {}: new connections get {} (was serial {}); {}", configFile,
                next.describe(), previous.certificate().getSerialNumber().toString(16), clientAuthentication(next));
        warnIfExpiring(next);
        return true;
    }

    private void reloadQuietly() {
        try {
            reloadIfChanged();
        } catch (ServingException e) {
            LOG.error("TLS config {} changed but is not usable; still serving {}: {}", configFile,
                    credentials.describe(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("TLS config {} not reloaded; still serving {}", configFile, credentials.describe(), e);
        }
    }

    private static SslContext build(TlsCredentials credentials, TlsProvider provider, boolean forRest) {
        try {
            return forRest ? SslContexts.rest(credentials, provider) : SslContexts.grpc(credentials, provider);
        } catch (SSLException | IllegalArgumentException e) {
            throw ServingException.invalidArgument("The TLS implementation (" + provider.description()
                    + ") refuses the SSL config's key or certificates: " + e.getMessage());
        }
    }

    private static String clientAuthentication(TlsCredentials credentials) {
        return credentials.clientVerify()
                ? "client certificates required, signed by one of " + credentials.clientRoots().size() + " CA(s)"
                : "no client certificates asked for";
    }

    private static void warnIfExpiring(TlsCredentials credentials) {
        Instant notAfter = credentials.certificate().getNotAfter().toInstant();
        Instant now = Instant.now();
        if (notAfter.isBefore(now)) {
            LOG.warn("The TLS certificate expired at {}: clients that check dates will refuse it", notAfter);
        } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            LOG.warn("The TLS certificate expires at {}: rotate it soon", notAfter);
        }
        if (credentials.certificate().getNotBefore().toInstant().isAfter(now)) {
            LOG.warn("The TLS certificate is not valid before {}: clients that check dates will refuse it until then",
                    credentials.certificate().getNotBefore().toInstant());
        }
    }

    /** Stops watching; the contexts keep working for connections that are still open. */
    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
