package dev.servedeck.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

/** A loopback port nobody listens on right now, for a server started next. */
final class FreePort {

    private FreePort() {
    }

    /** Bounds the search for a port unlike {@code taken}; the kernel rarely hands out the same one twice. */
    private static final int ATTEMPTS = 100;

    static int find() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A free port other than {@code taken}: those were found free too, but nothing listens on them yet. */
    static int findOtherThan(int... taken) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = find();
            if (Arrays.stream(taken).noneMatch(other -> other == port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port other than " + Arrays.toString(taken) + " after "
                + ATTEMPTS + " attempts");
    }
}
