package dev.servedeck.core.tfrecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Writes TensorFlow's TFRecord format: for each record, its length as a little-endian uint64, the masked
 * CRC32C of those 8 bytes (uint32 LE), the bytes, then their masked CRC32C (uint32 LE). No compression, as
 * TF Serving's warmup reader expects. Not thread-safe.
 */
public final class TfRecordWriter implements Closeable {

    static final int LENGTH_BYTES = Long.BYTES;
    static final int CRC_BYTES = Integer.BYTES;
    static final int HEADER_BYTES = LENGTH_BYTES + CRC_BYTES;

    private final OutputStream out;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer footer = ByteBuffer.allocate(CRC_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    /** Writes to {@code out}, which {@link #close()} closes. */
    public TfRecordWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    public void write(byte[] record) throws IOException {
        header.clear();
        header.putLong(record.length);
        header.putInt(MaskedCrc32c.of(header.array(), 0, LENGTH_BYTES));
        footer.clear();
        footer.putInt(MaskedCrc32c.of(record, 0, record.length));
        out.write(header.array());
        out.write(record);
        out.write(footer.array());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
