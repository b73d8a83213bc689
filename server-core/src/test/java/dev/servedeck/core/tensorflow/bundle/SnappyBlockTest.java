package dev.servedeck.core.tensorflow.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hand-made streams for each Snappy element; the TF1 indexes in {@link TensorBundleIndexTest} are real ones. */
class SnappyBlockTest {

    @Test
    void literals() throws Exception {
        assertThat(text(bytes(5, 4 << 2, 'h', 'e', 'l', 'l', 'o'))).isEqualTo("hello");
        byte[] hundred = new byte[100];
        Arrays.fill(hundred, (byte) 'x');
        byte[] stream = new byte[3 + 100];
        stream[0] = 100;
        stream[1] = (byte) (60 << 2); // length - 1 in the next byte
        stream[2] = 99;
        System.arraycopy(hundred, 0, stream, 3, 100);
        assertThat(uncompress(stream)).isEqualTo(hundred);
    }

    @Test
    void copiesWithOneTwoAndFourByteOffsets() throws Exception {
        // "ab", then copy 6 bytes from 2 back: the copy overlaps what it writes.
        assertThat(text(bytes(8, 1 << 2, 'a', 'b', 1 | (2 << 2), 2))).isEqualTo("abababab");
        assertThat(text(bytes(8, 3 << 2, 'a', 'b', 'c', 'd', 2 | (3 << 2), 4, 0))).isEqualTo("abcdabcd");
        assertThat(text(bytes(8, 3 << 2, 'a', 'b', 'c', 'd', 3 | (3 << 2), 4, 0, 0, 0))).isEqualTo("abcdabcd");
    }

    @Test
    void refusesCorruptStreams() {
        assertCorrupt(bytes(8, 1 << 2, 'a', 'b', 1 | (2 << 2), 0), "offset 0");
        assertCorrupt(bytes(8, 1 << 2, 'a', 'b', 1 | (2 << 2), 3), "offset 3");
        assertCorrupt(bytes(4, 1 << 2, 'a', 'b', 1 | (2 << 2), 2), "past its length");
        assertCorrupt(bytes(9, 4 << 2, 'h', 'e', 'l', 'l', 'o'), "holds 5 of its 9 bytes");
        assertCorrupt(bytes(5, 4 << 2, 'h', 'e'), "past the end");
        assertCorrupt(bytes(2, 4 << 2, 'h', 'e', 'l', 'l', 'o'), "past its length");
        assertCorrupt(bytes(8, 3 << 2, 'a', 'b', 'c', 'd', 2 | (3 << 2), 4), "end of data");
        assertCorrupt(bytes(0xff, 0xff, 0xff, 0x0f, 0), "claims");
        assertCorrupt(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), "varint");
    }

    private static void assertCorrupt(byte[] stream, String message) {
        assertThatThrownBy(() -> uncompress(stream)).isInstanceOf(MalformedTableException.class)
                .hasMessageContaining(message);
    }

    private static byte[] uncompress(byte[] stream) throws MalformedTableException {
        return SnappyBlock.uncompress(stream, 0, stream.length);
    }

    private static String text(byte[] stream) throws MalformedTableException {
        return new String(uncompress(stream), StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
