package dev.servedeck.core.loadgen.cli;

import dev.servedeck.core.tls.ClientTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a command-line client reaches a server: the bearer token and how to trust its TLS certificate. One set of
 * flags for {@code bench} and {@code tune} (a picocli mixin), so both spell them alike.
 */
public final class ClientOptions {

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (see the server's --auth_tokens_file).")
    private String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Reads the bearer token from a file.")
    private Path tokenFile;

    @Option(names = "--cacert", paramLabel = "PEM",
            description = "Trust the certificates in this PEM file (TLS: https:// URLs, or gRPC with --tls).")
    private Path caCertificate;

    @Option(names = "--insecure", description = "TLS without checking the server's certificate.")
    private boolean insecure;

    @Option(names = "--tls", description = "gRPC over TLS (implied by --cacert or --insecure).")
    private boolean grpcTls;

    /** The token of {@code --token-file} (trimmed), else {@code --token}, else null. */
    public String bearerToken() throws IOException {
        if (tokenFile != null) {
            return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        }
        return token;
    }

    /**
     * How to trust the server: null for plaintext gRPC; the JDK's roots for https:// URLs and {@code --tls} unless
     * told otherwise.
     *
     * @param https the target is an https:// URL
     */
    public ClientTls tls(boolean https) throws IOException {
        if (insecure) {
            return ClientTls.trustingAnyone();
        }
        if (caCertificate != null) {
            return ClientTls.trusting(caCertificate);
        }
        return grpcTls || https ? ClientTls.trustingPublicRoots() : null;
    }
}
