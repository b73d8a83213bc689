package dev.servedeck.core.tls;

import dev.servedeck.core.status.ServingException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/**
 * The server's private key from PEM, in each unencrypted form OpenSSL writes and TF Serving (BoringSSL) reads:
 * PKCS#8 ({@code PRIVATE KEY}: RSA, EC, Ed25519, Ed448), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1
 * ({@code EC PRIVATE KEY}, possibly after an {@code EC PARAMETERS} block). The JDK reads only PKCS#8, so the
 * other two are wrapped into it first. Encrypted keys are refused: SSLConfig has no field for a password.
 */
final class PrivateKeyPem {

    private static final byte[] RSA_ENCRYPTION = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    private static final byte[] EC_PUBLIC_KEY = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA");

    private PrivateKeyPem() {
    }

    /** @throws ServingException INVALID_ARGUMENT naming {@code what} when there is no usable key */
    static PrivateKey read(String pem, String what) {
        List<PemBlock> keys = Pem.blocks(pem, what).stream()
                .filter(block -> block.label().endsWith("PRIVATE KEY"))
                .toList();
        if (keys.isEmpty()) {
            throw ServingException.invalidArgument(what + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (keys.size() > 1) {
            throw ServingException.invalidArgument(what + " holds " + keys.size() + " private keys; give one");
        }
        PemBlock key = keys.get(0);
        if (key.encrypted() || key.label().equals("ENCRYPTED PRIVATE KEY")) {
            throw ServingException.invalidArgument(what + " is an encrypted key; SSLConfig has no password field, "
                    + "so give it unencrypted (openssl pkey -in KEY -out KEY.plain)");
        }
        try {
            byte[] pkcs8 = switch (key.label()) {
                case "PRIVATE KEY" -> key.der();
                case "RSA PRIVATE KEY" -> pkcs8(Der.sequence(Der.element(Der.OBJECT_IDENTIFIER, RSA_ENCRYPTION),
                        Der.element(Der.NULL, new byte[0])), key.der());
                case "EC PRIVATE KEY" -> pkcs8(Der.sequence(Der.element(Der.OBJECT_IDENTIFIER, EC_PUBLIC_KEY),
                        sec1Curve(key.der())), key.der());
                default -> throw ServingException.invalidArgument(what + ": unsupported key type " + key.label());
            };
            return privateKey(pkcs8, what);
        } catch (IllegalArgumentException e) {
            throw ServingException.invalidArgument(what + ": malformed " + key.label() + " (" + e.getMessage() + ")");
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING traditional key }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] traditionalKey) {
        return Der.sequence(Der.element(Der.INTEGER, new byte[] {0}), algorithm,
                Der.element(Der.OCTET_STRING, traditionalKey));
    }

    /** ECPrivateKey ::= SEQUENCE { version, privateKey, [0] ECParameters (the named curve's OID), [1] publicKey }. */
    private static byte[] sec1Curve(byte[] sec1) {
        Der.Reader fields = new Der.Reader(sec1).next().children();
        while (fields.hasNext()) {
            Der.Element field = fields.next();
            if (field.tag() == Der.CONTEXT_0) {
                Der.Element curve = field.children().next();
                if (curve.tag() != Der.OBJECT_IDENTIFIER) {
                    throw new IllegalArgumentException("only named curves are supported");
                }
                return Der.element(Der.OBJECT_IDENTIFIER, curve.content());
            }
        }
        throw new IllegalArgumentException("the key does not name its curve");
    }

    private static PrivateKey privateKey(byte[] pkcs8, String what) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisAlgorithm) {
                // the next one
            }
        }
        throw ServingException.invalidArgument(what + ": not an RSA, EC, Ed25519/Ed448 or DSA private key the JDK "
                + "can read");
    }
}
