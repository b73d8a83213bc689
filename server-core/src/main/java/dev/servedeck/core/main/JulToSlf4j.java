package dev.servedeck.core.main;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging into SLF4J. grpc-java and Netty's HTTP/2 code log through java.util.logging; without
 * this their warnings (a client that went away mid-call, a bad HTTP/2 frame) reach stderr in JUL's own two-line
 * format, outside the server's log format, its level and the console's log file.
 */
public final class JulToSlf4j {

    private JulToSlf4j() {
    }

    /** Idempotent: replaces JUL's console handler with the bridge once. Call before the first gRPC server starts. */
    public static synchronized void install() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
