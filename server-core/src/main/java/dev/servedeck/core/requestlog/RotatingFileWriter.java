package dev.servedeck.core.requestlog;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Appends lines to a file and rotates it by size, keeping {@code maxFiles} files: {@code file} (current),
 * {@code file.1} (the newest full one) ... {@code file.(maxFiles-1)}. Written by one thread only.
 *
 * <p>A small writer of our own rather than logback's RollingFileAppender: its size check runs behind a
 * time-based gate, so files overshoot their limit by an unpredictable amount, and server-core would need
 * logback at compile scope where it now only needs SLF4J.
 */
final class RotatingFileWriter implements Closeable {

    private final Path file;
    private final long maxBytes;
    private final int maxFiles;
    private BufferedWriter out;
    private long size;

    RotatingFileWriter(Path file, long maxBytes, int maxFiles) throws IOException {
        this.file = file.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        Path parent = this.file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        open();
    }

    /** Writes one line (a newline is added), rotating first when the line would not fit. */
    void writeLine(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + bytes.length > maxBytes) {
            rotate();
        }
        out.write(line);
        out.write('\n');
        size += bytes.length;
    }

    void flush() throws IOException {
        out.flush();
    }

    private void rotate() throws IOException {
        out.close();
        if (maxFiles == 1) {
            Files.delete(file);
        } else {
            Files.deleteIfExists(numbered(maxFiles - 1));
            for (int i = maxFiles - 2; i >= 1; i--) {
                if (Files.exists(numbered(i))) {
                    Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path numbered(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    private void open() throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
