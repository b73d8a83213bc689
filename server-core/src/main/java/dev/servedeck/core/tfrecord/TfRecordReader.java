package dev.servedeck.core.tfrecord;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a TFRecord file record by record, checking both checksums of each (as TensorFlow's record reader
 * does). A record's length is checked against what is left of the file before anything is allocated, so a
 * corrupt length cannot make the reader ask for more memory than the file holds. Not thread-safe.
 */
public final class TfRecordReader implements Closeable {

    /** The longest byte array the JVM allocates. */
    private static final long MAX_RECORD_BYTES = Integer.MAX_VALUE - 8;

    private final InputStream in;
    private final long size;
    private long position;
    private long recordOffset;

    private TfRecordReader(InputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    public static TfRecordReader open(Path file) throws IOException {
        long size = Files.size(file);
        return new TfRecordReader(new BufferedInputStream(Files.newInputStream(file)), size);
    }

    /**
     * The next record, or empty at the end of the file.
     *
     * @throws CorruptRecordException when a checksum does not match or the file ends inside a record
     */
    public Optional<byte[]> next() throws IOException {
        recordOffset = position;
        byte[] header = in.readNBytes(TfRecordWriter.HEADER_BYTES);
        position += header.length;
        if (header.length == 0) {
            return Optional.empty();
        }
        if (header.length < TfRecordWriter.HEADER_BYTES) {
            throw new CorruptRecordException(CorruptRecordException.Problem.TRUNCATED_LENGTH, recordOffset);
        }
        ByteBuffer fields = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long length = fields.getLong(0);
        if (fields.getInt(TfRecordWriter.LENGTH_BYTES) != MaskedCrc32c.of(header, 0, TfRecordWriter.LENGTH_BYTES)) {
            throw new CorruptRecordException(CorruptRecordException.Problem.LENGTH_CHECKSUM, recordOffset);
        }
        // A uint64 above Long.MAX_VALUE reads as negative: no file holds that much either.
        if (length < 0 || length > size - position - TfRecordWriter.CRC_BYTES) {
            throw new CorruptRecordException(CorruptRecordException.Problem.TRUNCATED_DATA, recordOffset);
        }
        if (length > MAX_RECORD_BYTES) {
            throw new CorruptRecordException(CorruptRecordException.Problem.TOO_LARGE, recordOffset);
        }
        byte[] data = in.readNBytes((int) length);
        byte[] footer = in.readNBytes(TfRecordWriter.CRC_BYTES);
        position += data.length + footer.length;
        if (data.length < length || footer.length < TfRecordWriter.CRC_BYTES) {
            // The file shrank while it was read.
            throw new CorruptRecordException(CorruptRecordException.Problem.TRUNCATED_DATA, recordOffset);
        }
        int stored = ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != MaskedCrc32c.of(data, 0, data.length)) {
            throw new CorruptRecordException(CorruptRecordException.Problem.DATA_CHECKSUM, recordOffset);
        }
        return Optional.of(data);
    }

    /** Where the record last returned (or refused) starts in the file. */
    public long recordOffset() {
        return recordOffset;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
