package dev.servedeck.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

/**
 * A server context that hands every new connection to the context in force at that moment, so certificates can
 * be replaced while serving: grpc-netty takes one SslContext when its server is built and keeps it, and the REST
 * pipeline is simpler with one too. A connection keeps the engine it got, so open connections are untouched by a
 * swap. Every context swapped in has the same protocol settings ({@link SslContexts}); only key material differs.
 */
final class SwappableSslContext extends SslContext {

    private volatile SslContext current;

    SwappableSslContext(SslContext initial) {
        this.current = initial;
    }

    void swap(SslContext next) {
        current = next;
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public List<String> cipherSuites() {
        return current.cipherSuites();
    }

    @Override
    @SuppressWarnings("deprecation") // the abstract method itself is; grpc-java checks ALPN through it
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return current.applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return current.newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return current.newEngine(alloc, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return current.sessionContext();
    }

    // The handler factories go through the current context's own, so OpenSSL keeps its faster non-JDK-compatible
    // engine mode (its newEngine alone would give the slower one). A server never starts TLS late (startTls).

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
        return current.newHandler(alloc);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls, Executor executor) {
        return current.newHandler(alloc, executor);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls) {
        return current.newHandler(alloc, peerHost, peerPort);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls,
            Executor executor) {
        return current.newHandler(alloc, peerHost, peerPort, executor);
    }
}
