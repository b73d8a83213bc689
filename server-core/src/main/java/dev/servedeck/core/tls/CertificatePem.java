package dev.servedeck.core.tls;

import dev.servedeck.core.status.ServingException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** X.509 certificates from PEM text, in the order given (for a server: its own first, then intermediates). */
final class CertificatePem {

    private CertificatePem() {
    }

    /** @throws ServingException INVALID_ARGUMENT naming {@code what} when there is none or one does not parse */
    static List<X509Certificate> read(String pem, String what) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlock block : Pem.blocks(pem, what)) {
                if (block.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw ServingException.invalidArgument(what + ": a certificate does not parse (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw ServingException.invalidArgument(what + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(certificates);
    }
}
