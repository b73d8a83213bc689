package dev.servedeck.core.requestlog;

import java.io.IOException;

/** The request log file could not take some lines (disk full, file size limit, I/O error): they are lost. */
final class LinesNotWrittenException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int lost;

    LinesNotWrittenException(int lost, IOException cause) {
        super(lost + " line(s) not written: " + cause.getMessage(), cause);
        this.lost = lost;
    }

    int lost() {
        return lost;
    }
}
