package dev.servedeck.console.connections;

import dev.servedeck.console.backend.tfserving.TfServingHints;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A server the console can manage: the embedded one, or a remote ServeDeck server by its address. Holds nothing
 * secret: the token and the client's private key live in the {@link SecretStore} under {@link #tokenAccount()}
 * and {@link #clientKeyAccount()}, so this record may be written to the preferences as it is.
 *
 * @param id stable key (the embedded server's is {@value #EMBEDDED_ID}); names may change, ids do not
 * @param name what the operator calls it ("edge-3, line 2")
 * @param address the server's REST base URL, {@code http://host:8501} or {@code https://host:8501} (TLS)
 * @param caCert PEM file of the CA that signed the server's certificate (else the JDK's trusted CAs)
 * @param clientCert PEM file of the certificate the console presents (mutual TLS); its key is a secret
 * @param grpcPort the server's gRPC port (its {@code --port}), where the admin API is served; empty: the REST port
 *     minus one, TF Serving's pair 8501/8500
 * @param tfServing for a plain tensorflow_model_server (no admin API): its model names and Prometheus URL, which
 *     TF Serving cannot tell the console; unused for a ServeDeck server
 */
public record Connection(String id, String name, URI address, Optional<Path> caCert, Optional<Path> clientCert,
        OptionalInt grpcPort, TfServingHints tfServing) {

    public static final String EMBEDDED_ID = "embedded";
    public static final Connection EMBEDDED = new Connection(EMBEDDED_ID, "Embedded server",
            URI.create("http://127.0.0.1"), Optional.empty(), Optional.empty());

    /** A connection whose gRPC port is TF Serving's neighbour of the REST port. */
    public Connection(String id, String name, URI address, Optional<Path> caCert, Optional<Path> clientCert) {
        this(id, name, address, caCert, clientCert, OptionalInt.empty(), TfServingHints.NONE);
    }

    /** A ServeDeck server's connection: no TF Serving hints. */
    public Connection(String id, String name, URI address, Optional<Path> caCert, Optional<Path> clientCert,
            OptionalInt grpcPort) {
        this(id, name, address, caCert, clientCert, grpcPort, TfServingHints.NONE);
    }

    /** A plain TF Serving's connection, its gRPC port the REST port's neighbour. */
    public Connection(String id, String name, URI address, Optional<Path> caCert, Optional<Path> clientCert,
            TfServingHints tfServing) {
        this(id, name, address, caCert, clientCert, OptionalInt.empty(), tfServing);
    }

    public Connection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(caCert, "caCert");
        Objects.requireNonNull(clientCert, "clientCert");
        Objects.requireNonNull(grpcPort, "grpcPort");
        Objects.requireNonNull(tfServing, "tfServing");
        if (grpcPort.isPresent() && (grpcPort.getAsInt() < 1 || grpcPort.getAsInt() > 65535)) {
            throw new IllegalArgumentException("The gRPC port must be between 1 and 65535, got " + grpcPort.getAsInt());
        }
    }

    /** Where the admin API (and TF Serving's gRPC API) answers: {@link #grpcPort()}, else the REST port minus one. */
    public int adminPort() {
        return grpcPort.orElse(address.getPort() - 1);
    }

    public boolean isEmbedded() {
        return EMBEDDED_ID.equals(id);
    }

    public boolean usesTls() {
        return "https".equals(address.getScheme());
    }

    /** The secret store's account of this connection's bearer token. */
    public String tokenAccount() {
        return "token/" + id;
    }

    /** The secret store's account of the private key of {@link #clientCert()} (PEM text). */
    public String clientKeyAccount() {
        return "client-key/" + id;
    }

    /** {@code https://edge-3:8501} or the embedded server's words. */
    public String addressText() {
        return isEmbedded() ? "in this process" : address.toString();
    }

    /**
     * Reads an address as typed: a URL with scheme {@code http} or {@code https}, a host and a port (no path).
     * {@code host:port} alone means plain HTTP.
     *
     * @throws IllegalArgumentException with the words to show next to the field
     */
    public static URI parseAddress(String typed) {
        String text = typed == null ? "" : typed.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("Enter the server's address, e.g. https://edge-3.local:8501");
        }
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + typed.strip() + "' is not an address: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("The address starts with http:// or https:// (TLS), not " + scheme
                    + "://");
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("The address needs a host and the REST port, e.g. "
                    + scheme + "://edge-3.local:8501");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException("The address is the server's root (no path): " + scheme + "://"
                    + uri.getHost() + ":" + uri.getPort());
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }
}
