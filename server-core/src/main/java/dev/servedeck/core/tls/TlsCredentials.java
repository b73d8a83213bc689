package dev.servedeck.core.tls;

import dev.servedeck.core.status.ServingException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The key material of one SSL config, checked and in JDK types (no TLS library): what both front ends' TLS
 * contexts are built from, and what a client of this server (the console) may pin.
 *
 * @param key the server's private key
 * @param chain the server's certificate first, then any intermediates, as the config gave them
 * @param clientRoots the roots client certificates must chain to ({@code custom_ca}); empty without client_verify
 * @param clientVerify whether every client must present a certificate signed by {@code clientRoots}
 */
public record TlsCredentials(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> clientRoots,
        boolean clientVerify) {

    public TlsCredentials {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        clientRoots = List.copyOf(clientRoots);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("A server needs a certificate");
        }
    }

    /**
     * Checks what TF Serving's gRPC would only find out at the first handshake, or never.
     *
     * @throws ServingException INVALID_ARGUMENT for a missing, unreadable or mismatched key or certificate, and for
     *     client_verify without custom_ca
     */
    static TlsCredentials from(SslConfigContents contents) {
        if (contents.keyPem().isBlank()) {
            throw ServingException.invalidArgument("The SSL config has no server_key (or server_key_file)");
        }
        if (contents.certificatePem().isBlank()) {
            throw ServingException.invalidArgument("The SSL config has no server_cert (or server_cert_file)");
        }
        PrivateKey key = PrivateKeyPem.read(contents.keyPem(), "server_key");
        List<X509Certificate> chain = CertificatePem.read(contents.certificatePem(), "server_cert");
        if (!KeyCertificateMatch.matches(key, chain.get(0))) {
            throw ServingException.invalidArgument("server_key does not belong to server_cert (the first certificate, "
                    + chain.get(0).getSubjectX500Principal().getName() + ", serial "
                    + chain.get(0).getSerialNumber().toString(16) + "): a key and certificate from different pairs");
        }
        if (!contents.clientVerify()) {
            // As TF Serving: without client_verify no client certificate is asked for and custom_ca is not used.
            return new TlsCredentials(key, chain, List.of(), false);
        }
        if (contents.clientCaPem().isBlank()) {
            // TF Serving (gRPC core) would require a certificate and verify it against no roots at all, refusing
            // every client; Netty would fall back to the JDK's public roots, admitting any publicly issued one.
            // Neither is what anyone means: refuse the config.
            throw ServingException.invalidArgument("client_verify: true needs custom_ca (or custom_ca_file): the CA "
                    + "that signs the client certificates");
        }
        return new TlsCredentials(key, chain, CertificatePem.read(contents.clientCaPem(), "custom_ca"), true);
    }

    /** The certificate this server presents. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Subject and serial, for logs; never the key. */
    public String describe() {
        X509Certificate certificate = certificate();
        return certificate.getSubjectX500Principal().getName() + " (serial " + certificate.getSerialNumber().toString(16)
                + ", valid until " + certificate.getNotAfter().toInstant() + ")";
    }

    @Override
    public String toString() {
        return "TlsCredentials[" + describe() + ", clientVerify=" + clientVerify + "]";
    }
}
