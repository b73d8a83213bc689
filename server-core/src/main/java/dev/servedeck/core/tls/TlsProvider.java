package dev.servedeck.core.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * Which TLS implementation Netty's contexts use: OpenSSL (BoringSSL from netty-tcnative) where its natives load,
 * else the JDK's. {@code -Dservedeck.tls.provider=jdk} forces the JDK's (to compare, or to rule BoringSSL out).
 *
 * @param provider Netty's provider
 * @param description for the log: which library and version, or why OpenSSL is not used
 */
record TlsProvider(SslProvider provider, String description) {

    static final String PROPERTY = "servedeck.tls.provider";

    static TlsProvider detect() {
        String wanted = System.getProperty(PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        if (wanted.equals("jdk")) {
            return jdk("-D" + PROPERTY + "=jdk");
        }
        if (OpenSsl.isAvailable()) {
            return new TlsProvider(SslProvider.OPENSSL, "OpenSSL (" + OpenSsl.versionString() + ", netty-tcnative)");
        }
        Throwable cause = OpenSsl.unavailabilityCause();
        return jdk("netty-tcnative not usable here: " + (cause == null ? "unknown reason" : cause.toString()));
    }

    private static TlsProvider jdk(String why) {
        return new TlsProvider(SslProvider.JDK, "the JDK's (" + Runtime.version() + "; " + why + ")");
    }
}
