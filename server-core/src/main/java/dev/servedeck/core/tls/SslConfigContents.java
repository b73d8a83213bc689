package dev.servedeck.core.tls;

import dev.servedeck.core.config.SslConfigFile;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.SSLConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * What an SSL config file says, with the PEM of its {@code *_file} fields read in, and a digest of every byte
 * read: the reloader compares digests to see that anything changed, the config file or a file it names.
 *
 * @param keyPem the server's private key
 * @param certificatePem the server's certificate chain
 * @param clientCaPem roots for client certificates; empty when none were given
 * @param clientVerify whether client certificates are required
 * @param digest SHA-256 over the config file and every file it names
 */
record SslConfigContents(String keyPem, String certificatePem, String clientCaPem, boolean clientVerify,
        byte[] digest) {

    /** @throws ServingException INVALID_ARGUMENT when the config or a file it names cannot be read or parsed */
    static SslConfigContents read(Path configFile) {
        MessageDigest digest = sha256();
        String text = readText(configFile, "SSL config file", digest);
        SSLConfig config = SslConfigFile.parse(text, configFile.toString());
        Path folder = configFile.toAbsolutePath().getParent();
        return new SslConfigContents(
                pem(config.getServerKey(), config.getServerKeyFile(), "server_key_file", folder, digest),
                pem(config.getServerCert(), config.getServerCertFile(), "server_cert_file", folder, digest),
                pem(config.getCustomCa(), config.getCustomCaFile(), "custom_ca_file", folder, digest),
                config.getClientVerify(),
                digest.digest());
    }

    boolean sameAs(SslConfigContents other) {
        return Arrays.equals(digest, other.digest);
    }

    private static String pem(String inline, String file, String field, Path folder, MessageDigest digest) {
        if (file.isEmpty()) {
            return inline;
        }
        return readText(folder.resolve(file), field, digest);
    }

    private static String readText(Path file, String what, MessageDigest digest) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            digest.update(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read " + what + " " + file + ": " + e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** Never the key in logs or exceptions. */
    @Override
    public String toString() {
        return "SslConfigContents[clientVerify=" + clientVerify + "]";
    }
}
