package dev.servedeck.core.loadgen;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request at once with {@code 200 {}}, except
 * request number {@code stallAt}, which it holds for {@code stall} first: a server that stops for a moment,
 * to see what the load engine makes of it. A thread per connection; only for tests with a few connections.
 */
final class StallingHttpServer implements AutoCloseable {

    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket socket;
    private final long stallAt;
    private final Duration stall;
    private final AtomicLong requests = new AtomicLong();
    private final Thread acceptor;

    StallingHttpServer(long stallAt, Duration stall) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.stallAt = stallAt;
        this.stall = stall;
        this.acceptor = new Thread(this::accept, "stalling-http-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    long requests() {
        return requests.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                Thread serving = new Thread(() -> serve(connection), "stalling-http-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream()) {
            while (true) {
                int length = readHead(in);
                if (length < 0) {
                    return;
                }
                in.readNBytes(length);
                if (requests.incrementAndGet() == stallAt) {
                    Thread.sleep(stall.toMillis());
                }
                out.write(ANSWER);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    /** Reads a request head; its Content-Length, or -1 at the end of the stream. */
    private static int readHead(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int length = 0;
        boolean any = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            any = true;
            if (b == '\n') {
                String text = line.toString().trim();
                if (text.isEmpty() && any) {
                    return length;
                }
                if (text.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(text.substring("content-length:".length()).trim());
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
