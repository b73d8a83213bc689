package dev.servedeck.core.tensorflow.bundle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads every entry of a table file, the LevelDB-style sorted string table TensorFlow writes checkpoint
 * indexes in ({@code tensorflow/core/lib/io/table.cc}, {@code format.cc}).
 *
 * <p>Layout: data blocks, a metaindex block, an index block, then a 48-byte footer: the metaindex and index
 * block handles (varint offset and size each), zero padding to 40 bytes, and the magic number. The index
 * block maps a key at or past each data block's last key to that block's handle. Every block is followed by
 * a 1-byte compression type (0 none, 1 Snappy) and the masked CRC32C of the block and that type byte.
 *
 * <p>Everything is checked as TensorFlow's reader checks it (magic, handles inside the file, every block's
 * checksum, block structure), so a file cut short anywhere, or with a byte changed in any block, fails with a
 * {@link MalformedTableException} rather than giving a partial list.
 */
final class TableFile {

    static final long MAGIC = 0xdb4775248b80fb57L;
    static final int FOOTER_LENGTH = 48;
    private static final int HANDLES_LENGTH = 40;
    private static final int BLOCK_TRAILER_LENGTH = 5;
    private static final int NO_COMPRESSION = 0;
    private static final int SNAPPY_COMPRESSION = 1;
    private static final int CRC_MASK_DELTA = 0xa282ead8;

    private TableFile() {
    }

    /** The entries of every data block, in file order (the table's key order). */
    static List<TableEntry> entries(byte[] file) throws MalformedTableException {
        if (file.length < FOOTER_LENGTH) {
            throw new MalformedTableException(file.length + " bytes, shorter than a table footer");
        }
        int footer = file.length - FOOTER_LENGTH;
        if (ByteCursor.fixedAt(file, footer + HANDLES_LENGTH, 8) != MAGIC) {
            throw new MalformedTableException("no table magic number at the end (cut short?)");
        }
        ByteCursor handles = new ByteCursor(file, footer, footer + HANDLES_LENGTH);
        BlockHandle metaindex = BlockHandle.read(handles);
        BlockHandle index = BlockHandle.read(handles);
        // TensorFlow's reader never uses the metaindex (no filters), but its checksum still tells a damaged file.
        block(file, footer, metaindex);
        List<TableEntry> entries = new ArrayList<>();
        for (TableEntry indexEntry : TableBlock.entries(block(file, footer, index))) {
            ByteCursor value = new ByteCursor(indexEntry.value(), 0, indexEntry.value().length);
            BlockHandle data = BlockHandle.read(value);
            if (!value.atEnd()) {
                throw new MalformedTableException("an index entry holds more than a block handle");
            }
            entries.addAll(TableBlock.entries(block(file, footer, data)));
        }
        return entries;
    }

    /** The uncompressed contents of the block at {@code handle}, after checking its checksum. */
    private static byte[] block(byte[] file, int footer, BlockHandle handle) throws MalformedTableException {
        if (handle.offset() > footer || handle.size() > footer - handle.offset() - BLOCK_TRAILER_LENGTH) {
            throw new MalformedTableException("a block at " + handle.offset() + " of " + handle.size()
                    + " bytes lies outside the " + file.length + "-byte file");
        }
        int start = (int) handle.offset();
        int end = start + (int) handle.size();
        CRC32C crc = new CRC32C();
        crc.update(file, start, end - start + 1);
        int stored = (int) ByteCursor.fixedAt(file, end + 1, 4);
        if ((int) crc.getValue() != unmask(stored)) {
            throw new MalformedTableException("block checksum mismatch at offset " + start);
        }
        int type = file[end] & 0xff;
        return switch (type) {
            case NO_COMPRESSION -> Arrays.copyOfRange(file, start, end);
            case SNAPPY_COMPRESSION -> SnappyBlock.uncompress(file, start, end);
            default -> throw new MalformedTableException("unknown block compression type " + type);
        };
    }

    /** LevelDB stores CRCs rotated and offset, so that a CRC of data holding CRCs stays strong. */
    private static int unmask(int masked) {
        int rotated = masked - CRC_MASK_DELTA;
        return (rotated >>> 17) | (rotated << 15);
    }

    /** Where a block lies: its offset and its size without the 5-byte trailer. */
    private record BlockHandle(long offset, long size) {

        static BlockHandle read(ByteCursor cursor) throws MalformedTableException {
            return new BlockHandle(cursor.readVarint64(), cursor.readVarint64());
        }
    }
}
