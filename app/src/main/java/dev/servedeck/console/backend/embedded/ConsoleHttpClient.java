package dev.servedeck.console.backend.embedded;

import dev.servedeck.core.tls.PemIdentity;
import dev.servedeck.core.tls.ServerTls;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The HTTP client of the console's REST calls (Predict page, load generator): plain HTTP, or, when the embedded
 * server runs TLS, HTTPS trusting that server's certificate ({@link EmbeddedServerTrust}) and presenting the
 * console's own certificate where the server asks for one.
 */
final class ConsoleHttpClient {

    private ConsoleHttpClient() {
    }

    /** @param identity what the console presents when the server asks for a client certificate */
    static HttpClient create(Optional<ServerTls> serverTls, Optional<PemIdentity> identity) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1);
        serverTls.ifPresent(tls -> builder.sslContext(sslContext(tls, identity)));
        return builder.build();
    }

    private static SSLContext sslContext(ServerTls tls, Optional<PemIdentity> identity) {
        try {
            KeyManager[] keyManagers = null;
            if (identity.isPresent()) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("console", identity.get().key(), new char[0],
                        identity.get().chain().toArray(X509Certificate[]::new));
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keys, new char[0]);
                keyManagers = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, new TrustManager[] {
                    new EmbeddedServerTrust(() -> tls.credentials().certificate())}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot set up the console's TLS client: " + e.getMessage(), e);
        }
    }
}
