package dev.servedeck.core.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a client of ServeDeck (the load engine) trusts the server: the certificates of a PEM file (the CA of a
 * {@code --ssl_config_file}'s chain, or the server certificate itself), the JDK's public roots, or, for a quick
 * look at a server with a self-signed certificate, no check at all. Built here because core.tls is the one place that builds TLS
 * contexts; clients get them for Netty (REST), for grpc-netty (gRPC, with ALPN h2) and for the JDK's HTTP client.
 */
public final class ClientTls {

    private static final ApplicationProtocolConfig HTTP_1_1 = new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);
    private static final ApplicationProtocolConfig H2 = new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2);

    /** Null: the JDK's public roots, or with {@code insecure} no check. */
    private final List<X509Certificate> roots;
    private final boolean insecure;
    /** What the client presents when the server asks for a client certificate (mutual TLS), or null. */
    private final PemIdentity identity;
    private final TlsProvider provider = TlsProvider.detect();

    private ClientTls(List<X509Certificate> roots, boolean insecure, PemIdentity identity) {
        this.roots = roots;
        this.insecure = insecure;
        this.identity = identity;
    }

    /**
     * Trusts exactly these certificates: e.g. the one certificate a console's embedded server presents, which
     * proves more than any CA could. Netty's client contexts check no host name, so a certificate issued for the
     * machine's name works on 127.0.0.1.
     */
    public static ClientTls trusting(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate to trust");
        }
        return new ClientTls(List.copyOf(certificates), false, null);
    }

    /** The same trust, presenting {@code clientIdentity} to servers that verify clients. */
    public ClientTls withIdentity(PemIdentity clientIdentity) {
        return new ClientTls(roots, insecure, clientIdentity);
    }

    /** Trusts the certificates in a PEM file. */
    public static ClientTls trusting(Path pemFile) throws IOException {
        String pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
        List<X509Certificate> certificates = CertificatePem.read(pem, pemFile.toString());
        if (certificates.isEmpty()) {
            throw new IOException("no certificate in " + pemFile);
        }
        return new ClientTls(List.copyOf(certificates), false, null);
    }

    /** Trusts any certificate: the connection is encrypted, the server not authenticated. */
    public static ClientTls trustingAnyone() {
        return new ClientTls(null, true, null);
    }

    /** Trusts what the JDK trusts (its public roots), as a browser would. */
    public static ClientTls trustingPublicRoots() {
        return new ClientTls(null, false, null);
    }

    /** For Netty's HTTP/1.1 client. */
    public SslContext restContext() throws SSLException {
        return builder().applicationProtocolConfig(HTTP_1_1).build();
    }

    /** For grpc-netty's channel builder: ALPN h2 and HTTP/2's cipher suites, as grpc-java requires. */
    public SslContext grpcContext() throws SSLException {
        return builder().ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(H2).build();
    }

    /** For the JDK's HTTP client (one-off requests such as reading a model's metadata). */
    public SSLContext jdkContext() throws GeneralSecurityException {
        TrustManagerFactory trust;
        if (insecure) {
            trust = InsecureTrustManagerFactory.INSTANCE;
        } else if (roots == null && identity == null) {
            return SSLContext.getDefault();
        } else if (roots == null) {
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            try {
                store.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
        }
        KeyManager[] keys = null;
        if (identity != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            store.setKeyEntry("client", identity.key(), new char[0], identity.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        return context;
    }

    private SslContextBuilder builder() {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider.provider());
        if (insecure) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (roots != null) {
            builder.trustManager(roots);
        }
        if (identity != null) {
            builder.keyManager(identity.key(), identity.chain());
        }
        return builder;
    }
}
