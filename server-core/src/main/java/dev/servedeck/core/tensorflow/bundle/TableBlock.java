package dev.servedeck.core.tensorflow.bundle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The entries of one uncompressed table block (TensorFlow's {@code lib/io/block.cc}, LevelDB's format).
 * Each entry is {@code varint shared, varint non_shared, varint value_length, key bytes after the shared
 * prefix, value}; keys share their prefix with the previous key. After the entries come the restart points
 * (fixed32 offsets of entries that share nothing) and their count (fixed32). TensorFlow uses restart points
 * only to seek; here they are checked, as cheap evidence that the block is what it claims to be.
 */
final class TableBlock {

    private static final int FIXED32 = 4;

    private TableBlock() {
    }

    static List<TableEntry> entries(byte[] block) throws MalformedTableException {
        if (block.length < FIXED32) {
            throw new MalformedTableException("a block of " + block.length + " bytes has no restart count");
        }
        long restartCount = ByteCursor.fixedAt(block, block.length - FIXED32, FIXED32);
        if (restartCount > (block.length - FIXED32) / FIXED32) {
            throw new MalformedTableException("a block claims " + restartCount + " restart points in "
                    + block.length + " bytes");
        }
        int restartsStart = block.length - (int) (1 + restartCount) * FIXED32;
        if (restartCount == 0) {
            // TensorFlow reads a block without restart points as empty, whatever precedes them.
            return List.of();
        }
        List<TableEntry> entries = new ArrayList<>();
        Set<Integer> restartCandidates = new HashSet<>();
        ByteCursor cursor = new ByteCursor(block, 0, restartsStart);
        byte[] key = new byte[0];
        while (!cursor.atEnd()) {
            int entryStart = cursor.position();
            int shared = cursor.readVarint32();
            int nonShared = cursor.readVarint32();
            int valueLength = cursor.readVarint32();
            if (shared > key.length) {
                throw new MalformedTableException("an entry shares " + shared + " bytes of a " + key.length + "-byte key");
            }
            if ((long) nonShared + valueLength > cursor.remaining()) {
                throw new MalformedTableException("an entry runs past the end of its block");
            }
            byte[] suffix = cursor.readBytes(nonShared);
            byte[] next = Arrays.copyOf(key, shared + nonShared);
            System.arraycopy(suffix, 0, next, shared, nonShared);
            key = next;
            entries.add(new TableEntry(key, cursor.readBytes(valueLength)));
            if (shared == 0) {
                restartCandidates.add(entryStart);
            }
        }
        for (int i = 0; i < restartCount; i++) {
            long restart = ByteCursor.fixedAt(block, restartsStart + i * FIXED32, FIXED32);
            // The first restart point is where TensorFlow starts reading: the block's first entry.
            boolean valid = i == 0 ? restart == 0 : restartCandidates.contains((int) Math.min(restart, Integer.MAX_VALUE));
            if (!valid) {
                throw new MalformedTableException("restart point " + restart + " is not the start of an entry with a whole key");
            }
        }
        return entries;
    }
}
