package dev.servedeck.core.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Protobuf wire format written by hand from field numbers (varints and length-delimited fields only), so a
 * test can send bytes that none of our generated classes produced.
 */
final class HandWrittenProto {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    static HandWrittenProto message() {
        return new HandWrittenProto();
    }

    HandWrittenProto varint(int field, long value) {
        writeVarint(((long) field << 3) | 0);
        writeVarint(value);
        return this;
    }

    HandWrittenProto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    HandWrittenProto message(int field, HandWrittenProto value) {
        return bytes(field, value.toByteArray());
    }

    HandWrittenProto bytes(int field, byte[] value) {
        writeVarint(((long) field << 3) | 2);
        writeVarint(value.length);
        bytes.writeBytes(value);
        return this;
    }

    /** A packed repeated float field (proto3's default encoding for repeated scalars). */
    HandWrittenProto packedFloats(int field, float... values) {
        byte[] packed = new byte[values.length * Float.BYTES];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToIntBits(values[i]);
            for (int b = 0; b < Float.BYTES; b++) {
                packed[i * Float.BYTES + b] = (byte) (bits >>> (8 * b)); // little-endian fixed32
            }
        }
        return bytes(field, packed);
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    private void writeVarint(long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            bytes.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        bytes.write((int) rest);
    }
}
