package dev.servedeck.core.requestlog;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Appends lines to a file and rotates it by size, keeping {@code maxFiles} files: {@code file} (current),
 * {@code file.1} (the newest full one) ... {@code file.(maxFiles-1)}. Written by one thread only.
 *
 * <p>Whole lines or nothing: lines go out in one write per batch, and a write the file cannot take (disk full,
 * the file size limit, an I/O error) is cut back to the last whole line before the failure is reported with
 * the number of lines lost. The next batch simply tries again, so writing resumes by itself once there is
 * space, and the file never holds half a line followed by the next one.
 *
 * <p>A small writer of our own rather than logback's RollingFileAppender: its size check runs behind a
 * time-based gate, so files overshoot their limit by an unpredictable amount, and server-core would need
 * logback at compile scope where it now only needs SLF4J.
 */
final class RotatingFileWriter implements Closeable {

    private final Path file;
    private final long maxBytes;
    private final int maxFiles;
    private final LogFileOpener opener;
    private FileChannel channel;
    /** The bytes of whole lines in the current file: where the next line starts, and where a failed write is cut back to. */
    private long size;

    RotatingFileWriter(Path file, long maxBytes, int maxFiles) throws IOException {
        this(file, maxBytes, maxFiles, LogFileOpener.files());
    }

    RotatingFileWriter(Path file, long maxBytes, int maxFiles, LogFileOpener opener) throws IOException {
        this.file = file.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.opener = opener;
        Path parent = this.file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        open();
    }

    /**
     * Appends the lines (a newline is added to each), rotating first before a line that would not fit.
     *
     * @throws LinesNotWrittenException when some of the lines could not be written; the file then ends with the
     *     last line that was
     */
    void append(List<String> lines) throws LinesNotWrittenException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        int inBlock = 0;
        int written = 0;
        try {
            for (String line : lines) {
                byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                if (size + block.size() > 0 && size + block.size() + bytes.length > maxBytes) {
                    writeBlock(block);
                    written += inBlock;
                    inBlock = 0;
                    rotate();
                }
                block.write(bytes, 0, bytes.length);
                inBlock++;
            }
            writeBlock(block);
        } catch (IOException e) {
            throw new LinesNotWrittenException(lines.size() - written, e);
        }
    }

    private void writeBlock(ByteArrayOutputStream block) throws IOException {
        if (block.size() == 0) {
            return;
        }
        if (channel == null || !channel.isOpen()) {
            open();
        }
        ByteBuffer bytes = ByteBuffer.wrap(block.toByteArray());
        try {
            channel.position(size);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            cutBackToLastWholeLine();
            throw e;
        }
        size += block.size();
        block.reset();
    }

    /** A write that failed half way (the disk filled up during it) leaves part of a line: remove it. */
    private void cutBackToLastWholeLine() {
        try {
            if (channel.isOpen() && channel.size() > size) {
                channel.truncate(size);
            }
        } catch (IOException e) {
            // Shrinking needs no space; if even that fails, the next write starts at size and overwrites the part.
        }
    }

    private void rotate() throws IOException {
        channel.close();
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
        channel = opener.open(file);
        size = channel.size();
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
