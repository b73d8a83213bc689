package dev.servedeck.core.metrics;

import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.ServingApi;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.ServingException;
import java.util.List;

/**
 * The model, version and signature a failed call is counted under: what the client asked for where the server
 * has it, one shared value where it does not. A successful call is counted under the version and signature that
 * answered it, which exist; a failed one names what the client sent, and a client can send any name. Without
 * this, every random model name, version number or signature name would add series to the metrics and windows
 * to the live statistics, for as long as the server runs.
 *
 * <ul>
 *   <li>model: the name, if the server has any version of it (loading, failed and unloaded ones count); else
 *       {@value #UNKNOWN}.</li>
 *   <li>version: the number asked for, if that version of the model exists; for a call that named neither a
 *       version nor a label, the one the core serves such calls from, its latest AVAILABLE version (read when the
 *       failure is counted); else none, the label value of a call that failed before a version was chosen.</li>
 *   <li>signature: the name asked for, if the model's latest available version has it; else {@value #UNKNOWN}.</li>
 * </ul>
 */
final class FailedCallLabels {

    /** The label value shared by every model or signature name the server does not have. */
    static final String UNKNOWN = "__unknown__";

    /** Label values for one failed call. */
    record Labels(String model, long version, String signature) {
    }

    private static final Labels UNKNOWN_MODEL = new Labels(UNKNOWN, CompletedRequest.UNKNOWN_VERSION, UNKNOWN);

    private final ServingApi core;

    FailedCallLabels(ServingApi core) {
        this.core = core;
    }

    Labels of(ModelSpec spec) {
        List<ServableState> versions;
        try {
            versions = core.status(ModelSpec.latest(spec.name()));
        } catch (ServingException e) {
            return UNKNOWN_MODEL;
        }
        long version = CompletedRequest.UNKNOWN_VERSION;
        if (spec.version().isPresent()) {
            long asked = spec.version().getAsLong();
            if (versions.stream().anyMatch(state -> state.id().version() == asked)) {
                version = asked;
            }
        } else if (spec.label().isEmpty()) {
            version = versions.stream()
                    .filter(state -> state.state() == ManagerState.AVAILABLE)
                    .mapToLong(state -> state.id().version())
                    .max()
                    .orElse(CompletedRequest.UNKNOWN_VERSION);
        }
        String signature = spec.signatureName().isEmpty() ? Servable.DEFAULT_SIGNATURE : spec.signatureName();
        return new Labels(spec.name(), version, hasSignature(spec.name(), signature) ? signature : UNKNOWN);
    }

    private boolean hasSignature(String model, String signature) {
        try {
            return core.metadata(ModelSpec.latest(model)).signatureDefs().containsKey(signature);
        } catch (ServingException e) {
            // No version available to ask: the name cannot be checked, so it is not trusted.
            return false;
        }
    }
}
