package dev.servedeck.core.tensorflow.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;

/**
 * The index of a TensorFlow checkpoint (tensor bundle), e.g. a SavedModel's {@code variables/variables.index}
 * ({@code tensorflow/core/util/tensor_bundle}): a table whose entry under the empty key is a
 * {@link BundleHeaderProto} (how many data shards) and whose other entries map tensor names to
 * {@link BundleEntryProto}s (shard, offset and size of the tensor's bytes in
 * {@code <prefix>.data-<shard>-of-<shards>}). Reading the index tells what the data files must hold without
 * reading them.
 */
public final class TensorBundleIndex {

    /** Far above any real index (a few MB for thousands of variables); a larger file is refused unread. */
    private static final long MAX_INDEX_BYTES = 1L << 30;

    private final BundleHeaderProto header;
    private final List<Entry> entries;

    /** One tensor (or one slice of a partitioned tensor) the bundle holds. */
    public record Entry(String key, BundleEntryProto proto) {
    }

    private TensorBundleIndex(BundleHeaderProto header, List<Entry> entries) {
        this.header = header;
        this.entries = entries;
    }

    /**
     * @throws IOException if the file cannot be read
     * @throws MalformedTableException if it is not a whole, intact tensor bundle index
     */
    public static TensorBundleIndex read(Path indexFile) throws IOException, MalformedTableException {
        long size = Files.size(indexFile);
        if (size > MAX_INDEX_BYTES) {
            throw new MalformedTableException(size + " bytes, too large for a checkpoint index");
        }
        return parse(Files.readAllBytes(indexFile));
    }

    /** @throws MalformedTableException if the bytes are not a whole, intact tensor bundle index */
    public static TensorBundleIndex parse(byte[] file) throws MalformedTableException {
        List<TableEntry> table = TableFile.entries(file);
        // The empty key sorts first, so the header is the first entry.
        if (table.isEmpty() || table.get(0).key().length != 0) {
            throw new MalformedTableException("no bundle header entry");
        }
        BundleHeaderProto header;
        try {
            header = BundleHeaderProto.parseFrom(table.get(0).value());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedTableException("unreadable bundle header: " + e.getMessage());
        }
        if (header.getNumShards() < 1) {
            throw new MalformedTableException("the bundle header names " + header.getNumShards() + " data shards");
        }
        List<Entry> entries = new ArrayList<>(table.size() - 1);
        for (TableEntry tableEntry : table.subList(1, table.size())) {
            entries.add(entry(tableEntry, header.getNumShards()));
        }
        return new TensorBundleIndex(header, Collections.unmodifiableList(entries));
    }

    private static Entry entry(TableEntry tableEntry, int shards) throws MalformedTableException {
        // Names are UTF-8; a slice of a partitioned tensor has a binary key, which only needs to be told apart.
        String key = new String(tableEntry.key(), StandardCharsets.UTF_8);
        BundleEntryProto proto;
        try {
            proto = BundleEntryProto.parseFrom(tableEntry.value());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedTableException("unreadable entry for " + key + ": " + e.getMessage());
        }
        if (proto.getShardId() < 0 || proto.getShardId() >= shards) {
            throw new MalformedTableException(key + " is in shard " + proto.getShardId() + " of " + shards);
        }
        if (proto.getOffset() < 0 || proto.getSize() < 0 || proto.getSize() > Long.MAX_VALUE - proto.getOffset()) {
            throw new MalformedTableException(key + " has offset " + proto.getOffset() + " and size " + proto.getSize());
        }
        return new Entry(key, proto);
    }

    public int numShards() {
        return header.getNumShards();
    }

    public BundleHeaderProto header() {
        return header;
    }

    /** Every entry but the header, in key order. */
    public List<Entry> entries() {
        return entries;
    }

    /** For each shard that holds data, the size its data file must have at least: the end of its last tensor. */
    public SortedMap<Integer, Long> requiredShardSizes() {
        SortedMap<Integer, Long> sizes = new TreeMap<>();
        for (Entry entry : entries) {
            BundleEntryProto proto = entry.proto();
            sizes.merge(proto.getShardId(), proto.getOffset() + proto.getSize(), Math::max);
        }
        return Collections.unmodifiableSortedMap(sizes);
    }

    /** TensorFlow's data file name of one shard, e.g. {@code variables.data-00000-of-00001}. */
    public static String dataFileName(String prefix, int shard, int shards) {
        return String.format(Locale.ROOT, "%s.data-%05d-of-%05d", prefix, shard, shards);
    }
}
