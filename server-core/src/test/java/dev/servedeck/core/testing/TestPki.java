package dev.servedeck.core.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real certificates made in the test (Bouncy Castle): a CA, server certificates for localhost / 127.0.0.1 with
 * chosen serials, client certificates; PEM in every key format OpenSSL writes; the SSLConfig text that carries
 * them; JDK client contexts that trust a CA and optionally present a client certificate.
 */
public final class TestPki {

    /** How a private key is written. */
    public enum KeyFormat { PKCS8, TRADITIONAL }

    /** A key pair and the certificate issued for it. */
    public record Issued(KeyPair keyPair, X509Certificate certificate) {

        public String certificatePem() {
            return pem("CERTIFICATE", encoded(certificate));
        }

        /** PKCS#8 ({@code PRIVATE KEY}). */
        public String keyPem() {
            return keyPem(KeyFormat.PKCS8);
        }

        /** PKCS#8, or OpenSSL's traditional form: PKCS#1 for RSA, SEC1 for EC. */
        public String keyPem(KeyFormat format) {
            if (format == KeyFormat.PKCS8) {
                return pem("PRIVATE KEY", keyPair.getPrivate().getEncoded());
            }
            if (keyPair.getPrivate() instanceof ECPrivateKey ec) {
                // SEC1 as OpenSSL writes it, naming its curve (the JDK's encoding leaves that to PKCS#8's header).
                ASN1Encodable curve = PrivateKeyInfo.getInstance(ec.getEncoded()).getPrivateKeyAlgorithm()
                        .getParameters();
                return pem("EC PRIVATE KEY", encoded(new org.bouncycastle.asn1.sec.ECPrivateKey(
                        ec.getParams().getOrder().bitLength(), ec.getS(), curve)));
            }
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(keyPair.getPrivate());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return text.toString();
        }

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        public PrivateKey key() {
            return keyPair.getPrivate();
        }
    }

    private TestPki() {
    }

    public static Issued ca(String name) {
        KeyPair pair = ecKeyPair();
        return new Issued(pair, sign(new X500Name("CN=" + name), pair.getPrivate(), new X500Name("CN=" + name),
                pair.getPublic(), BigInteger.ONE, builder -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }));
    }

    /** For {@code localhost} and {@code 127.0.0.1}, an EC key. */
    public static Issued server(Issued ca, long serial) {
        return server(ca, serial, ecKeyPair());
    }

    public static Issued server(Issued ca, long serial, KeyPair pair) {
        return new Issued(pair, sign(issuer(ca), ca.key(), new X500Name("CN=localhost"), pair.getPublic(),
                BigInteger.valueOf(serial), builder -> {
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
                    builder.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                }));
    }

    public static Issued client(Issued ca, String name) {
        KeyPair pair = ecKeyPair();
        return new Issued(pair, sign(issuer(ca), ca.key(), new X500Name("CN=" + name), pair.getPublic(),
                BigInteger.valueOf(Math.abs(name.hashCode()) + 1000L), builder ->
                        builder.addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))));
    }

    public static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TF Serving's SSLConfig with the PEM inside, as its docs show it. */
    public static String sslConfig(String keyPem, String certificatePem, String customCaPem, boolean clientVerify) {
        return "server_key: \"" + escape(keyPem) + "\"\n"
                + "server_cert: \"" + escape(certificatePem) + "\"\n"
                + (customCaPem.isEmpty() ? "" : "custom_ca: \"" + escape(customCaPem) + "\"\n")
                + "client_verify: " + clientVerify + "\n";
    }

    public static String sslConfig(Issued server) {
        return sslConfig(server.keyPem(), server.certificatePem(), "", false);
    }

    public static String mutualSslConfig(Issued server, Issued clientCa) {
        return sslConfig(server.keyPem(), server.certificatePem(), clientCa.certificatePem(), true);
    }

    /** A client context that trusts {@code ca} and, when given, presents {@code identity}. */
    public static SSLContext clientContext(Issued ca, Issued identity) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = null;
            if (identity != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", identity.key(), new char[0], new X509Certificate[] {identity.certificate()});
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate a server presents on a fresh connection (a handshake of its own, nothing sent). */
    public static X509Certificate servedCertificate(SSLContext client, int port) {
        try (Socket socket = client.getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLSocket tls = (SSLSocket) socket;
            tls.startHandshake();
            return (X509Certificate) tls.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    private static X500Name issuer(Issued ca) {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate sign(X500Name issuer, PrivateKey signer, X500Name subject,
            PublicKey subjectKey, BigInteger serial, Extensions extensions) {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                    subjectKey);
            extensions.add(builder);
            String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(ASN1Object object) {
        try {
            return object.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static String escape(String pem) {
        return pem.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
