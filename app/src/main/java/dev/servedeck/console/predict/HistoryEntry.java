package dev.servedeck.console.predict;

import dev.servedeck.console.chooser.VersionOption;
import dev.servedeck.core.signature.RestVerb;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * A request sent from the Predict page and how it went.
 *
 * @param signature the signature chosen when it was sent (empty when none was known)
 * @param status the HTTP status, or {@link #NO_ANSWER} when the request got none
 * @param protocol the protocol it was sent in (its body is in that protocol's JSON)
 */
public record HistoryEntry(Instant time, String model, VersionOption version, String signature, RestVerb verb,
        String body, int status, Duration latency, PredictProtocol protocol) {

    public static final int NO_ANSWER = -1;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    public HistoryEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** A request sent in TF Serving's protocol. */
    public HistoryEntry(Instant time, String model, VersionOption version, String signature, RestVerb verb,
            String body, int status, Duration latency) {
        this(time, model, version, signature, verb, body, status, latency, PredictProtocol.TF_SERVING_V1);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String statusText() {
        return status == NO_ANSWER ? "no answer" : Integer.toString(status);
    }

    /**
     * One line for the history list, e.g. {@code 14:02:11  200  3.21 ms  half_plus_two latest :predict}, or
     * {@code ... half_plus_two latest v2 infer} for the Open Inference Protocol.
     */
    public String summary(ZoneId zone) {
        return CLOCK.format(time.atZone(zone)) + "  " + statusText() + "  " + PredictViewModel.formatLatency(latency)
                + "  " + model + " " + version.text() + (signature.isEmpty() ? "" : " " + signature)
                + (protocol == PredictProtocol.OPEN_INFERENCE_V2 ? " v2 infer" : " :" + verb.verb());
    }
}
