package dev.servedeck.core.tensorflow.bundle;

/**
 * Reads LevelDB's integer encodings (varints and little-endian fixed-width numbers) from a range of a byte
 * array. Every read checks the range first, so bad input ends in a {@link MalformedTableException}, never in
 * an index out of bounds.
 */
final class ByteCursor {

    private final byte[] bytes;
    private final int limit;
    private int position;

    ByteCursor(byte[] bytes, int from, int limit) {
        if (from < 0 || limit > bytes.length || from > limit) {
            throw new IllegalArgumentException("range [" + from + ", " + limit + ") outside " + bytes.length + " bytes");
        }
        this.bytes = bytes;
        this.position = from;
        this.limit = limit;
    }

    int position() {
        return position;
    }

    int remaining() {
        return limit - position;
    }

    boolean atEnd() {
        return position >= limit;
    }

    int readUnsignedByte() throws MalformedTableException {
        if (position >= limit) {
            throw new MalformedTableException("unexpected end of data");
        }
        return bytes[position++] & 0xff;
    }

    /** A varint of at most 5 bytes whose value fits an int (lengths and counts). */
    int readVarint32() throws MalformedTableException {
        long value = readVarint(5);
        if (value > Integer.MAX_VALUE) {
            throw new MalformedTableException("a length of " + value + " is too large");
        }
        return (int) value;
    }

    /** A varint of at most 10 bytes that is not negative as a signed 64-bit number (offsets and sizes). */
    long readVarint64() throws MalformedTableException {
        long value = readVarint(10);
        if (value < 0) {
            throw new MalformedTableException("an offset or size past 2^63");
        }
        return value;
    }

    private long readVarint(int maxBytes) throws MalformedTableException {
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            int b = readUnsignedByte();
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedTableException("a varint longer than " + maxBytes + " bytes");
    }

    /** The next {@code length} bytes as a copy. */
    byte[] readBytes(int length) throws MalformedTableException {
        if (length < 0 || length > remaining()) {
            throw new MalformedTableException("a field of " + length + " bytes runs past the end of its block");
        }
        byte[] copy = new byte[length];
        System.arraycopy(bytes, position, copy, 0, length);
        position += length;
        return copy;
    }

    /** The unsigned little-endian number in {@code width} bytes (1 to 8) at the cursor. */
    long readFixed(int width) throws MalformedTableException {
        if (width > remaining()) {
            throw new MalformedTableException("unexpected end of data");
        }
        long value = fixedAt(bytes, position, width);
        position += width;
        return value;
    }

    /** The unsigned little-endian number in {@code width} bytes at {@code offset}; the caller checked the range. */
    static long fixedAt(byte[] bytes, int offset, int width) {
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return value;
    }
}
