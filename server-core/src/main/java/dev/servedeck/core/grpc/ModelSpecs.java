package dev.servedeck.core.grpc;

import com.google.protobuf.Int64Value;
import dev.servedeck.core.ModelSpec;
import dev.servedeck.core.servable.ServableId;
import java.util.Optional;
import java.util.OptionalLong;

/** TF Serving's ModelSpec message to the core's ModelSpec and back. */
final class ModelSpecs {

    /** TF Serving's answer, word for word, when a request has no model_spec. */
    static final String MISSING_MODEL_SPEC = "Missing ModelSpec";

    private ModelSpecs() {
    }

    /**
     * The spec a request addresses.
     *
     * @param present whether the request carried a model_spec at all (TF Serving refuses requests without one)
     */
    static ModelSpec fromProto(boolean present, dev.servedeck.proto.apis.ModelSpec spec) {
        if (!present) {
            throw GrpcStatuses.invalidArgument(MISSING_MODEL_SPEC);
        }
        return switch (spec.getVersionChoiceCase()) {
            case VERSION -> new ModelSpec(spec.getName(), OptionalLong.of(spec.getVersion().getValue()),
                    Optional.empty(), spec.getSignatureName());
            case VERSION_LABEL -> new ModelSpec(spec.getName(), OptionalLong.empty(),
                    Optional.of(spec.getVersionLabel()), spec.getSignatureName());
            case VERSIONCHOICE_NOT_SET -> new ModelSpec(spec.getName(), OptionalLong.empty(), Optional.empty(),
                    spec.getSignatureName());
        };
    }

    /** The effective spec TF Serving echoes: the version that served the call and the signature used. */
    static dev.servedeck.proto.apis.ModelSpec effective(ServableId servedBy, String signatureName) {
        return servedBy(servedBy).toBuilder().setSignatureName(signatureName).build();
    }

    /** Name and version only (GetModelMetadata's answer carries no signature). */
    static dev.servedeck.proto.apis.ModelSpec servedBy(ServableId servedBy) {
        return dev.servedeck.proto.apis.ModelSpec.newBuilder()
                .setName(servedBy.name())
                .setVersion(Int64Value.of(servedBy.version()))
                .build();
    }
}
