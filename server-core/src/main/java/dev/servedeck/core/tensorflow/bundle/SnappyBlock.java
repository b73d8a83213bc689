package dev.servedeck.core.tensorflow.bundle;

/**
 * Uncompresses a Snappy-compressed table block. TensorFlow writes checkpoint indexes uncompressed today,
 * but TensorFlow 1 used the table's default, Snappy (TF Serving's own test models have such indexes), and
 * no Snappy library is on the class path, so this is the decoder of Snappy's format description: a varint
 * with the uncompressed length, then elements, each a literal run or a copy of earlier output.
 */
final class SnappyBlock {

    /**
     * The most output one input byte can make (a 3-byte copy element makes at most 64 bytes), rounded up: a
     * declared length past it is corrupt, and is refused before anything is allocated.
     */
    private static final int MAX_EXPANSION = 32;

    private SnappyBlock() {
    }

    static byte[] uncompress(byte[] input, int from, int to) throws MalformedTableException {
        ByteCursor in = new ByteCursor(input, from, to);
        int length = in.readVarint32();
        if (length > (long) MAX_EXPANSION * (to - from)) {
            throw new MalformedTableException("a compressed block claims " + length + " bytes from " + (to - from));
        }
        byte[] output = new byte[length];
        int written = 0;
        while (!in.atEnd()) {
            int tag = in.readUnsignedByte();
            switch (tag & 3) {
                case 0 -> written = literal(in, tag, output, written);
                case 1 -> written = copy(output, written, ((tag >>> 2) & 7) + 4,
                        ((tag >>> 5) << 8) | in.readUnsignedByte());
                case 2 -> written = copy(output, written, (tag >>> 2) + 1, in.readFixed(2));
                default -> written = copy(output, written, (tag >>> 2) + 1, in.readFixed(4));
            }
        }
        if (written != length) {
            throw new MalformedTableException("a compressed block holds " + written + " of its " + length + " bytes");
        }
        return output;
    }

    private static int literal(ByteCursor in, int tag, byte[] output, int written) throws MalformedTableException {
        long length = tag >>> 2;
        if (length >= 60) {
            // 60..63: the length minus one follows in 1..4 little-endian bytes.
            length = in.readFixed((int) length - 59);
        }
        length += 1;
        if (length > output.length - written) {
            throw new MalformedTableException("a compressed block's literal runs past its length");
        }
        byte[] run = in.readBytes((int) length);
        System.arraycopy(run, 0, output, written, run.length);
        return written + run.length;
    }

    private static int copy(byte[] output, int written, int length, long offset) throws MalformedTableException {
        if (offset <= 0 || offset > written) {
            throw new MalformedTableException("a compressed block copies from offset " + offset + " at " + written);
        }
        if (length > output.length - written) {
            throw new MalformedTableException("a compressed block's copy runs past its length");
        }
        int source = written - (int) offset;
        // Byte by byte: a copy may overlap what it writes (offset < length repeats a run).
        for (int i = 0; i < length; i++) {
            output[written + i] = output[source + i];
        }
        return written + length;
    }
}
