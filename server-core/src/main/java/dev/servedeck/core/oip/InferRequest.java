package dev.servedeck.core.oip;

import java.util.List;
import java.util.Objects;

/**
 * An inference request in the protocol's terms, its inputs decoded.
 *
 * @param version the version the client asked for, as it wrote it; empty for the latest available
 * @param id the client's request id, echoed in the answer (empty for none)
 * @param signatureName the {@code signature_name} request parameter: ServeDeck's choice of the SavedModel signature
 *     (empty for {@code serving_default})
 * @param outputs the outputs asked for, in the order to answer them; empty for all of the signature's
 */
public record InferRequest(String model, String version, String id, String signatureName, List<InferInput> inputs,
        List<String> outputs) {

    /** The request parameter that picks a signature: ServeDeck's, the protocol names none. */
    public static final String SIGNATURE_PARAMETER = "signature_name";

    public InferRequest {
        Objects.requireNonNull(model, "model");
        version = version == null ? "" : version;
        id = id == null ? "" : id;
        signatureName = signatureName == null ? "" : signatureName;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
