package dev.servedeck.core.config;

import com.google.protobuf.TextFormat;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.SSLConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads TF Serving's {@code --ssl_config_file}: an {@link SSLConfig} in protobuf text format whose fields hold
 * PEM text ({@code server_key}, {@code server_cert}, {@code custom_ca}, {@code client_verify}), or, as a ServeDeck
 * extension, the paths of PEM files ({@code server_key_file}, {@code server_cert_file}, {@code custom_ca_file}).
 */
public final class SslConfigFile {

    private SslConfigFile() {
    }

    /** Reads and parses the file; every problem is an INVALID_ARGUMENT naming it. */
    public static SSLConfig read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read SSL config file " + file + ": " + e);
        }
    }

    public static SSLConfig parse(String text, String origin) {
        SSLConfig.Builder builder = SSLConfig.newBuilder();
        try {
            TextFormat.getParser().merge(text, builder);
        } catch (TextFormat.ParseException e) {
            throw ServingException.invalidArgument("Invalid SSL config file " + origin + ": " + e.getMessage());
        }
        SSLConfig config = builder.build();
        exclusive(origin, "server_key", config.getServerKey(), config.getServerKeyFile());
        exclusive(origin, "server_cert", config.getServerCert(), config.getServerCertFile());
        exclusive(origin, "custom_ca", config.getCustomCa(), config.getCustomCaFile());
        return config;
    }

    /** PEM text and a file for the same thing would leave the reader guessing which one counts. */
    private static void exclusive(String origin, String field, String pem, String file) {
        if (!pem.isEmpty() && !file.isEmpty()) {
            throw ServingException.invalidArgument("Invalid SSL config file " + origin + ": give " + field + " or "
                    + field + "_file, not both");
        }
    }
}
