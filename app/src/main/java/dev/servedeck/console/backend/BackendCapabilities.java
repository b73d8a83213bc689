package dev.servedeck.console.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * What a backend can do for the pages, so that they disable what it cannot and say why, instead of failing on
 * click: a remote server's process is not the console's to start or stop, and a path the console could open
 * (a model config, a batching file) is a path on the console's machine, not the server's.
 *
 * @param serverName the server's name for the status bar ("Embedded server", a connection's name)
 * @param controlsProcess start, stop and restart apply (the embedded server)
 * @param sharesFileSystem paths the operator picks are paths the server reads (the embedded server)
 * @param notice what the operator must know about this server's management, shown above every page; empty
 *        when nothing
 * @param modelChangesOff why the Models page cannot change models now, but for opening a model config file (a plain
 *        TF Serving whose whole config the console does not know yet); empty when it can
 * @param batchingOff why the Batching page only shows, whatever the server's batching (a plain TF Serving fixes it
 *        at start and does not report it); empty: the page says so only while the server does not batch
 */
public record BackendCapabilities(String serverName, boolean controlsProcess, boolean sharesFileSystem,
        Optional<String> notice, Optional<String> modelChangesOff, Optional<String> batchingOff) {

    /** The server inside the console's own process: everything applies. */
    public static final BackendCapabilities EMBEDDED = new BackendCapabilities("Embedded server", true, true,
            Optional.empty());

    /**
     * Why a server that does not share the console's files offers no warmup files from recent requests: the
     * requests' bodies stay in the server's process (the admin API sends only their sizes), and the file belongs in a
     * version folder on the server's machine.
     */
    public static final String NO_WARMUP_WITHOUT_SHARED_FILES = "Warmup files are made from the request bodies a"
            + " server keeps in its own process, and its admin API sends none (only sizes): make them on the server's"
            + " machine, or in a console whose embedded server serves the model.";

    public BackendCapabilities {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(modelChangesOff, "modelChangesOff");
        Objects.requireNonNull(batchingOff, "batchingOff");
    }

    /** A backend that can change models whenever the server runs. */
    public BackendCapabilities(String serverName, boolean controlsProcess, boolean sharesFileSystem,
            Optional<String> notice) {
        this(serverName, controlsProcess, sharesFileSystem, notice, Optional.empty(), Optional.empty());
    }
}
