package dev.servedeck.core.oip;

import com.google.protobuf.ByteString;
import org.tensorflow.proto.TensorProto;

/**
 * One input of an inference request, decoded: its name, the datatype the client declared, and its values as the
 * TensorProto the core runs.
 */
public record InferInput(String name, InferDatatype datatype, TensorProto tensor) {

    /**
     * The values in the protocol's raw layout (gRPC {@code raw_input_contents}, REST binary data): the tensor's
     * little-endian content as it is, BYTES elements each preceded by their 4-byte length. A client (the load
     * engine) writes raw inputs with this, so it packs them exactly as the server reads them.
     */
    public ByteString rawContents() {
        return datatype == InferDatatype.BYTES ? RawStrings.join(tensor.getStringValList()) : tensor.getTensorContent();
    }
}
