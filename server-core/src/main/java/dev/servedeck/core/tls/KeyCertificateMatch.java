package dev.servedeck.core.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * Whether a private key belongs to a certificate: the key signs a random challenge and the certificate's public
 * key verifies it. One check for every key type, instead of comparing RSA moduli and EC points separately; a
 * mismatch caught here is a start-up error rather than a handshake that fails for every client.
 */
final class KeyCertificateMatch {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyCertificateMatch() {
    }

    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = signatureAlgorithm(key);
        if (algorithm == null) {
            // A key type we cannot sign with here; the algorithms at least must agree.
            return key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm());
        }
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // e.g. an EC key against an RSA certificate: initVerify refuses the other key type
            return false;
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
    }
}
