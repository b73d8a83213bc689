package dev.servedeck.console.connections;

import dev.servedeck.core.tls.PemIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The console's TLS side of a connection: trust the connection's CA (else the JDK's CAs) and, for mutual TLS,
 * present its client certificate with the private key from the secret store. PEM files as the server's
 * {@code --ssl_config_file} takes them; the key in PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC), as
 * {@code openssl genpkey} and {@code openssl pkcs8 -topk8 -nocrypt} write it.
 */
public final class ClientTls {

    private ClientTls() {
    }

    /**
     * @param clientKeyPem the client certificate's private key (PEM text), when a client certificate is given
     * @throws IllegalArgumentException with the words for the operator when a file or the key does not read
     */
    static SSLContext context(Connection connection, Optional<String> clientKeyPem) {
        try {
            return of(connection, clientKeyPem).jdkContext();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot set up TLS for " + connection.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The connection's TLS as server-core's client side has it (core.tls builds every TLS context: the JDK's for
     * HTTP, Netty's for gRPC and the load engine), from the connection's CA file and client certificate and the
     * key kept in the secret store.
     *
     * @throws IllegalArgumentException with the words for the operator when a file or the key does not read
     */
    public static dev.servedeck.core.tls.ClientTls of(Connection connection, Optional<String> clientKeyPem) {
        try {
            dev.servedeck.core.tls.ClientTls trust = connection.caCert().isPresent()
                    ? dev.servedeck.core.tls.ClientTls.trusting(x509(certificates(connection.caCert().get())))
                    : dev.servedeck.core.tls.ClientTls.trustingPublicRoots();
            if (connection.clientCert().isEmpty()) {
                return trust;
            }
            String pem = clientKeyPem.orElseThrow(() -> new IllegalArgumentException(
                    "The client certificate's private key is missing: enter it again (Edit)"));
            return trust.withIdentity(new PemIdentity(privateKey(pem),
                    x509(certificates(connection.clientCert().get()))));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("Cannot set up TLS for " + connection.name() + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> x509(Collection<? extends Certificate> certificates) {
        return certificates.stream().map(X509Certificate.class::cast).toList();
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws IOException,
            GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (read.isEmpty()) {
                throw new java.security.cert.CertificateException(pem + " holds no PEM certificate");
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
