package dev.servedeck.core.tls;

import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key and its certificate chain from one PEM file (as curl's {@code --cert} takes them), checked to
 * belong together: how a client of a server with {@code client_verify} (the console) gets its identity.
 *
 * @param key the private key, in any form {@link PrivateKeyPem} reads
 * @param chain the certificate first, then any intermediates
 */
public record PemIdentity(PrivateKey key, List<X509Certificate> chain) {

    public PemIdentity {
        chain = List.copyOf(chain);
    }

    /** @throws ServingException INVALID_ARGUMENT when the file cannot be read, lacks either part or they differ */
    public static PemIdentity read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read " + file + ": " + e);
        }
        PrivateKey key = PrivateKeyPem.read(pem, file.toString());
        List<X509Certificate> chain = CertificatePem.read(pem, file.toString());
        if (!KeyCertificateMatch.matches(key, chain.get(0))) {
            throw ServingException.invalidArgument(file + ": the private key does not belong to the first certificate");
        }
        return new PemIdentity(key, chain);
    }

    @Override
    public String toString() {
        return "PemIdentity[" + chain.get(0).getSubjectX500Principal().getName() + "]";
    }
}
