package dev.servedeck.core.tensorflow.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;

/**
 * Writes tables as LevelDB's table builder does (uncompressed), with as many entries per block and between
 * restart points as a test asks for: shapes TensorFlow writes only for very large checkpoints (several data
 * blocks) or never from Java (several data shards).
 */
public final class TableWriter {

    private TableWriter() {
    }

    /** A tensor bundle index: the header (with {@code shards}) under the empty key, then the entries. */
    public static byte[] bundleIndex(int shards, Map<String, BundleEntryProto> entries, int entriesPerBlock) {
        SortedMap<String, byte[]> table = new TreeMap<>();
        table.put("", BundleHeaderProto.newBuilder().setNumShards(shards).build().toByteArray());
        entries.forEach((key, entry) -> table.put(key, entry.toByteArray()));
        return table(table, entriesPerBlock, 3);
    }

    public static byte[] table(SortedMap<String, byte[]> entries, int entriesPerBlock, int restartInterval) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<Map.Entry<String, byte[]>> all = new ArrayList<>(entries.entrySet());
        SortedMap<String, byte[]> index = new TreeMap<>();
        for (int start = 0; start < all.size(); start += entriesPerBlock) {
            List<Map.Entry<String, byte[]>> blockEntries = all.subList(start, Math.min(all.size(), start + entriesPerBlock));
            long offset = file.size();
            byte[] block = block(blockEntries, restartInterval);
            writeBlock(file, block);
            index.put(blockEntries.get(blockEntries.size() - 1).getKey(), handle(offset, block.length));
        }
        long metaOffset = file.size();
        byte[] meta = block(List.of(), restartInterval);
        writeBlock(file, meta);
        long indexOffset = file.size();
        byte[] indexBlock = block(new ArrayList<>(index.entrySet()), 1);
        writeBlock(file, indexBlock);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        footer.writeBytes(handle(metaOffset, meta.length));
        footer.writeBytes(handle(indexOffset, indexBlock.length));
        footer.writeBytes(new byte[40 - footer.size()]);
        writeFixed(footer, TableFile.MAGIC, 8);
        file.writeBytes(footer.toByteArray());
        return file.toByteArray();
    }

    private static byte[] block(List<Map.Entry<String, byte[]>> entries, int restartInterval) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> restarts = new ArrayList<>(List.of(0));
        byte[] previous = new byte[0];
        for (int i = 0; i < entries.size(); i++) {
            byte[] key = entries.get(i).getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = entries.get(i).getValue();
            int shared = 0;
            if (i % restartInterval == 0) {
                if (i > 0) {
                    restarts.add(out.size());
                }
            } else {
                while (shared < Math.min(key.length, previous.length) && key[shared] == previous[shared]) {
                    shared++;
                }
            }
            writeVarint(out, shared);
            writeVarint(out, key.length - shared);
            writeVarint(out, value.length);
            out.write(key, shared, key.length - shared);
            out.writeBytes(value);
            previous = key;
        }
        for (int restart : restarts) {
            writeFixed(out, restart, 4);
        }
        writeFixed(out, restarts.size(), 4);
        return out.toByteArray();
    }

    private static void writeBlock(ByteArrayOutputStream file, byte[] block) {
        file.writeBytes(block);
        file.write(0);
        CRC32C crc = new CRC32C();
        crc.update(block);
        crc.update(0);
        int value = (int) crc.getValue();
        writeFixed(file, (((value >>> 15) | (value << 17)) + 0xa282ead8) & 0xffffffffL, 4);
    }

    private static byte[] handle(long offset, long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, offset);
        writeVarint(out, size);
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static void writeFixed(ByteArrayOutputStream out, long value, int width) {
        for (int i = 0; i < width; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }
}
