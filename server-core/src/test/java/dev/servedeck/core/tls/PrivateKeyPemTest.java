package dev.servedeck.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.testing.TestPki;
import dev.servedeck.core.testing.TestPki.Issued;
import dev.servedeck.core.testing.TestPki.KeyFormat;
import java.security.PrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every unencrypted key form OpenSSL writes (and TF Serving reads) is read, and checked against its certificate. */
class PrivateKeyPemTest {

    private static Issued ca;
    private static Issued ecServer;
    private static Issued rsaServer;

    @BeforeAll
    static void issue() {
        ca = TestPki.ca("Key Test CA");
        ecServer = TestPki.server(ca, 10);
        rsaServer = TestPki.server(ca, 11, TestPki.rsaKeyPair());
    }

    @Test
    void readsPkcs8AndTraditionalRsaAndEcKeys() {
        for (Issued server : new Issued[] {ecServer, rsaServer}) {
            for (KeyFormat format : KeyFormat.values()) {
                String pem = server.keyPem(format);
                PrivateKey key = PrivateKeyPem.read(pem, "server_key");

                assertThat(key.getAlgorithm()).isEqualTo(server.key().getAlgorithm());
                assertThat(KeyCertificateMatch.matches(key, server.certificate()))
                        .as(format + " " + pem.lines().findFirst().orElse("")).isTrue();
            }
        }
        assertThat(rsaServer.keyPem(KeyFormat.TRADITIONAL)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(ecServer.keyPem(KeyFormat.TRADITIONAL)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    }

    @Test
    void skipsTheEcParametersBlockAndTextAroundBlocks() {
        String pem = "written by openssl ecparam -genkey\n-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
                + "-----END EC PARAMETERS-----\n" + ecServer.keyPem(KeyFormat.TRADITIONAL) + "trailing words\n";

        assertThat(KeyCertificateMatch.matches(PrivateKeyPem.read(pem, "server_key"), ecServer.certificate())).isTrue();
    }

    @Test
    void aKeyOfAnotherPairDoesNotMatch() {
        assertThat(KeyCertificateMatch.matches(ecServer.key(), rsaServer.certificate())).isFalse();
        assertThat(KeyCertificateMatch.matches(TestPki.server(ca, 12).key(), ecServer.certificate())).isFalse();
    }

    @Test
    void refusesEncryptedMissingAndBrokenKeysNamingTheField() {
        assertThatThrownBy(() -> PrivateKeyPem.read("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n", "server_key"))
                .isInstanceOf(ServingException.class).hasMessageContaining("server_key is an encrypted key");
        assertThatThrownBy(() -> PrivateKeyPem.read("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n", "server_key"))
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> PrivateKeyPem.read(ecServer.certificatePem(), "server_key"))
                .hasMessageContaining("server_key holds no PEM private key");
        assertThatThrownBy(() -> PrivateKeyPem.read("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
                "server_key")).hasMessageContaining("server_key");
        assertThatThrownBy(() -> PrivateKeyPem.read(ecServer.keyPem() + rsaServer.keyPem(), "server_key"))
                .hasMessageContaining("2 private keys");
    }

    @Test
    void readsCertificateChainsInOrder() {
        assertThat(CertificatePem.read(ecServer.certificatePem() + "\n# intermediate\n" + ca.certificatePem(),
                "server_cert")).containsExactly(ecServer.certificate(), ca.certificate());
        assertThatThrownBy(() -> CertificatePem.read(ecServer.keyPem(), "custom_ca"))
                .hasMessageContaining("custom_ca holds no PEM certificate");
    }
}
