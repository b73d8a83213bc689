package dev.servedeck.console.connections;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The console's TLS side of a connection: trust the connection's CA (else the JDK's CAs) and, for mutual TLS,
 * present its client certificate with the private key from the secret store. PEM files as the server's
 * {@code --ssl_config_file} takes them; the key in PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC), as
 * {@code openssl genpkey} and {@code openssl pkcs8 -topk8 -nocrypt} write it.
 */
final class ClientTls {

    private ClientTls() {
    }

    /**
     * @param clientKeyPem the client certificate's private key (PEM text), when a client certificate is given
     * @throws IllegalArgumentException with the words for the operator when a file or the key does not read
     */
    static SSLContext context(Connection connection, Optional<String> clientKeyPem) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (connection.caCert().isPresent()) {
                KeyStore cas = emptyKeyStore();
                int i = 0;
                for (Certificate ca : certificates(connection.caCert().get())) {
                    cas.setCertificateEntry("ca-" + i++, ca);
                }
                trust.init(cas);
            } else {
                trust.init((KeyStore) null);
            }
            KeyManagerFactory keys = null;
            if (connection.clientCert().isPresent()) {
                String pem = clientKeyPem.orElseThrow(() -> new IllegalArgumentException(
                        "The client certificate's private key is missing: enter it again (Edit)"));
                List<Certificate> chain = List.copyOf(certificates(connection.clientCert().get()));
                KeyStore store = emptyKeyStore();
                char[] none = new char[0];
                store.setKeyEntry("client", privateKey(pem), none, chain.toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, none);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("Cannot set up TLS for " + connection.name() + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        return store;
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws IOException,
            GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (read.isEmpty()) {
                throw new IllegalArgumentException(pem + " holds no PEM certificate");
            }
            return read;
        }
    }

    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("The private key must be PKCS#8 PEM (BEGIN PRIVATE KEY); convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt");
        }
        String base64 = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("The private key is neither RSA nor EC");
    }

    /** Whether PEM text parses as a private key (checked before it goes into the secret store). */
    static void checkPrivateKey(String pem) {
        try {
            privateKey(pem);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a usable private key: " + e.getMessage(), e);
        }
    }
}
