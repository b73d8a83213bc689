package dev.servedeck.core.requestlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the request log's current file. The channel is where the operating system says "no space left on
 * device", so it is the seam tests replace to fill a disk that is not there.
 */
@FunctionalInterface
interface LogFileOpener {

    FileChannel open(Path file) throws IOException;

    /** The real file, created if missing, written at its end. */
    static LogFileOpener files() {
        return file -> FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
}
