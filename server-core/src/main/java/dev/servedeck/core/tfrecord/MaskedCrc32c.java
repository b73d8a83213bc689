package dev.servedeck.core.tfrecord;

import java.util.zip.CRC32C;

/**
 * TFRecord's checksum: CRC32C (Castagnoli), masked as TensorFlow masks it. The mask (rotate right by 15,
 * add a constant) is there because a CRC computed over bytes that themselves hold CRCs is weak; TFRecord
 * stores one over the length and one over the data.
 */
public final class MaskedCrc32c {

    private static final int MASK_DELTA = 0xa282ead8;

    private MaskedCrc32c() {
    }

    /** The masked CRC32C of {@code length} bytes of {@code data} from {@code offset}. */
    public static int of(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return mask((int) crc.getValue());
    }

    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    public static int unmask(int masked) {
        int rotated = masked - MASK_DELTA;
        return (rotated >>> 17) | (rotated << 15);
    }
}
