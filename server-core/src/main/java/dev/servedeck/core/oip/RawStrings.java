package dev.servedeck.core.oip;

import com.google.protobuf.ByteString;
import dev.servedeck.core.status.ServingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol's raw layout of a BYTES tensor (gRPC raw contents, the REST binary extension): each element is a
 * 4-byte little-endian length followed by that many bytes, elements back to back.
 */
final class RawStrings {

    private static final int LENGTH_BYTES = 4;

    private RawStrings() {
    }

    static List<ByteString> split(String name, ByteString raw) {
        List<ByteString> elements = new ArrayList<>();
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (buffer.remaining() < LENGTH_BYTES) {
                throw truncated(name);
            }
            long length = Integer.toUnsignedLong(buffer.getInt());
            if (length > buffer.remaining()) {
                throw truncated(name);
            }
            int start = buffer.position();
            elements.add(raw.substring(start, start + (int) length));
            buffer.position(start + (int) length);
        }
        return elements;
    }

    static ByteString join(List<ByteString> elements) {
        List<ByteString> parts = new ArrayList<>(elements.size() * 2);
        for (ByteString element : elements) {
            byte[] length = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(element.size()).array();
            parts.add(ByteString.copyFrom(length));
            parts.add(element);
        }
        // A rope over the parts: the elements are not copied here.
        return ByteString.copyFrom(parts);
    }

    private static ServingException truncated(String name) {
        return ServingException.invalidArgument("Input '" + name + "' is BYTES: its raw contents must be elements "
                + "each preceded by a 4-byte little-endian length, and the last one is cut short");
    }
}
