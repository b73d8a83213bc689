package dev.servedeck.console.backend;

/**
 * An operation this backend refuses by design, not one left unfinished: a remote server's version folders are not
 * the console's to write warmup files into, and a plain TensorFlow Serving cannot change batching live. The pages
 * disable such operations ({@link BackendCapabilities}) and show the same reason; a call that comes anyway fails
 * with it.
 */
public final class NotPossibleOnThisServer extends RuntimeException {

    public NotPossibleOnThisServer(String why) {
        super(why);
    }
}
