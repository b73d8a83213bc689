package dev.servedeck.core.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import javax.net.ssl.SSLException;

/**
 * The one place that turns credentials into Netty server contexts, for both front ends: same key, chain, client
 * verification and provider; they differ only in what ALPN offers. REST speaks HTTP/1.1 and says so, so that a
 * client offering h2 falls back instead of starting HTTP/2. gRPC gets what grpc-netty's
 * {@code GrpcSslContexts.configure} sets for a server: ALPN "h2" (grpc-java refuses a context without it) and
 * HTTP/2's cipher suites (RFC 7540, 9.2).
 */
final class SslContexts {

    private static final ApplicationProtocolConfig HTTP_1_1 = new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);
    private static final ApplicationProtocolConfig H2 = new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2);

    private SslContexts() {
    }

    static SslContext rest(TlsCredentials credentials, TlsProvider provider) throws SSLException {
        return builder(credentials, provider)
                .applicationProtocolConfig(HTTP_1_1)
                .build();
    }

    static SslContext grpc(TlsCredentials credentials, TlsProvider provider) throws SSLException {
        return builder(credentials, provider)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(H2)
                .build();
    }

    private static SslContextBuilder builder(TlsCredentials credentials, TlsProvider provider) {
        SslContextBuilder builder = SslContextBuilder.forServer(credentials.key(), credentials.chain())
                .sslProvider(provider.provider());
        if (credentials.clientVerify()) {
            // Only custom_ca: never the JDK's public roots, which Netty would use for a null trust manager.
            builder.trustManager(credentials.clientRoots()).clientAuth(ClientAuth.REQUIRE);
        } else {
            builder.clientAuth(ClientAuth.NONE);
        }
        return builder;
    }
}
