package dev.servedeck.core.tensorflow.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.core.testing.TfServingTestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.DataType;

/**
 * Checkpoint indexes written by TensorFlow: Python TensorFlow 1 (Snappy-compressed blocks) and 2 in TF
 * Serving's and TF Java's test models, TensorFlow Java here (uncompressed). Each entry is checked against
 * the data file: the bytes at its offset have the CRC32C it names and hold the value the model is known for.
 */
class TensorBundleIndexTest {

    @TempDir
    Path temp;

    @Test
    void readsATensorFlow1IndexWithSnappyBlocks() throws Exception {
        Path variables = TfServingTestData.version("saved_model_half_plus_two_cpu", "00000123").resolve("variables");

        TensorBundleIndex index = TensorBundleIndex.read(variables.resolve("variables.index"));

        assertThat(index.numShards()).isEqualTo(1);
        assertThat(keys(index)).containsExactly("a", "a2", "b", "c", "c2");
        assertThat(index.entries()).allSatisfy(entry -> {
            assertThat(entry.proto().getDtype()).isEqualTo(DataType.DT_FLOAT);
            assertThat(entry.proto().getSize()).isEqualTo(4);
        });
        Map<String, Float> values = floats(index, variables);
        assertThat(values).containsEntry("a", 0.5f).containsEntry("b", 2f);
        assertThat(index.requiredShardSizes()).containsExactly(Map.entry(0, Files.size(data(variables, 1))));
    }

    @Test
    void readsHalfPlusThreeAsAnotherModel() throws Exception {
        Path variables = TfServingTestData.version("saved_model_half_plus_three", "00000123").resolve("variables");

        TensorBundleIndex index = TensorBundleIndex.read(variables.resolve("variables.index"));

        assertThat(floats(index, variables)).containsEntry("a", 0.5f).containsEntry("b", 3f);
        assertThat(index.requiredShardSizes()).containsEntry(0, 12L);
    }

    @Test
    void readsATensorFlow2IndexWithItsObjectGraph() throws Exception {
        Path variables = TfServingTestData.version("saved_model_half_plus_two_tf2_cpu", "00000123").resolve("variables");

        TensorBundleIndex index = TensorBundleIndex.read(variables.resolve("variables.index"));

        assertThat(keys(index)).containsExactly("_CHECKPOINTABLE_OBJECT_GRAPH", "a/.ATTRIBUTES/VARIABLE_VALUE",
                "b/.ATTRIBUTES/VARIABLE_VALUE", "c/.ATTRIBUTES/VARIABLE_VALUE");
        assertThat(index.entries().get(0).proto().getDtype()).isEqualTo(DataType.DT_STRING);
        assertThat(floats(index, variables)).containsEntry("a/.ATTRIBUTES/VARIABLE_VALUE", 0.5f)
                .containsEntry("b/.ATTRIBUTES/VARIABLE_VALUE", 2f);
        assertThat(index.requiredShardSizes()).containsExactly(Map.entry(0, Files.size(data(variables, 1))));
    }

    @Test
    void readsTheIndexOfTensorFlowJavasPythonWrittenModel() throws Exception {
        Path variables = TfServingTestData.tfJavaModel("saved_model_using_python").resolve("1/variables");

        TensorBundleIndex index = TensorBundleIndex.read(variables.resolve("variables.index"));

        assertThat(floats(index, variables)).containsExactly(Map.entry("variable/.ATTRIBUTES/VARIABLE_VALUE", 2f));
        assertThat(index.requiredShardSizes()).containsExactly(Map.entry(0, Files.size(data(variables, 1))));
    }

    @Test
    void readsIndexesTensorFlowJavaWrites() throws Exception {
        Path halfPlusTwo = DemoModels.writeHalfPlusTwo(temp, 1).resolve("variables");
        Path mlp = DemoModels.writeMlp(temp, 2, 7).resolve("variables");

        TensorBundleIndex small = TensorBundleIndex.read(halfPlusTwo.resolve("variables.index"));
        TensorBundleIndex large = TensorBundleIndex.read(mlp.resolve("variables.index"));

        assertThat(floats(small, halfPlusTwo)).containsExactly(Map.entry("a", 0.5f), Map.entry("b", 2f));
        assertThat(keys(large)).containsExactly("dense1_biases", "dense1_weights", "dense2_biases", "dense2_weights",
                "logits_biases", "logits_weights");
        assertThat(large.entries().get(1).proto().getSize()).as("dense1_weights").isEqualTo(784L * 512 * 4);
        checkCrcs(large, mlp);
        assertThat(large.requiredShardSizes()).containsExactly(Map.entry(0, Files.size(data(mlp, 1))));
    }

    @Test
    void readsTablesOfSeveralBlocksAndShards() throws Exception {
        Map<String, BundleEntryProto> entries = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            entries.put(String.format("layer_%02d/kernel/.ATTRIBUTES/VARIABLE_VALUE", i),
                    BundleEntryProto.newBuilder().setShardId(i % 3).setOffset(100L * i).setSize(100).build());
        }

        TensorBundleIndex index = TensorBundleIndex.parse(TableWriter.bundleIndex(3, entries, 7));

        assertThat(index.numShards()).isEqualTo(3);
        assertThat(keys(index)).containsExactlyElementsOf(new TreeMap<>(entries).keySet());
        // The last tensor of each shard: 39 (shard 0), 37 (shard 1), 38 (shard 2), each 100 bytes at 100 * i.
        assertThat(index.requiredShardSizes()).containsExactly(Map.entry(0, 4_000L), Map.entry(1, 3_800L),
                Map.entry(2, 3_900L));
    }

    @Test
    void namesDataFilesAsTensorFlow() {
        assertThat(TensorBundleIndex.dataFileName("variables", 0, 1)).isEqualTo("variables.data-00000-of-00001");
        assertThat(TensorBundleIndex.dataFileName("variables", 12, 100)).isEqualTo("variables.data-00012-of-00100");
    }

    @Test
    void refusesIndexesThatAreWholeTablesButNoBundles() {
        Map<String, BundleEntryProto> outOfShard = Map.of("w", BundleEntryProto.newBuilder().setShardId(1).build());
        Map<String, BundleEntryProto> negative = Map.of("w", BundleEntryProto.newBuilder().setOffset(-1).build());
        Map<String, BundleEntryProto> overflowing = Map.of("w",
                BundleEntryProto.newBuilder().setOffset(Long.MAX_VALUE).setSize(1).build());
        TreeMap<String, byte[]> noHeader = new TreeMap<>(Map.of("w", BundleEntryProto.getDefaultInstance().toByteArray()));
        TreeMap<String, byte[]> badEntry = new TreeMap<>(Map.of("", new byte[] {8, 1}, "w", new byte[] {(byte) 0xff}));

        assertMalformed(TableWriter.bundleIndex(1, outOfShard, 10), "in shard 1 of 1");
        assertMalformed(TableWriter.bundleIndex(1, negative, 10), "offset -1");
        assertMalformed(TableWriter.bundleIndex(1, overflowing, 10), "offset");
        assertMalformed(TableWriter.bundleIndex(0, Map.of(), 10), "0 data shards");
        assertMalformed(TableWriter.table(noHeader, 10, 1), "no bundle header");
        assertMalformed(TableWriter.table(badEntry, 10, 1), "unreadable entry for w");
    }

    private static void assertMalformed(byte[] file, String message) {
        assertThatThrownBy(() -> TensorBundleIndex.parse(file)).isInstanceOf(MalformedTableException.class)
                .hasMessageContaining(message);
    }

    static List<String> keys(TensorBundleIndex index) {
        return index.entries().stream().map(TensorBundleIndex.Entry::key).toList();
    }

    private static Path data(Path variables, int shards) {
        return variables.resolve(TensorBundleIndex.dataFileName("variables", 0, shards));
    }

    /** The scalar float entries, read from the data file after checking each entry's CRC. */
    private static Map<String, Float> floats(TensorBundleIndex index, Path variables) throws IOException {
        checkCrcs(index, variables);
        byte[] data = Files.readAllBytes(data(variables, index.numShards()));
        Map<String, Float> values = new TreeMap<>();
        for (TensorBundleIndex.Entry entry : index.entries()) {
            BundleEntryProto proto = entry.proto();
            if (proto.getDtype() == DataType.DT_FLOAT && proto.getSize() == 4) {
                values.put(entry.key(), ByteBuffer.wrap(data, (int) proto.getOffset(), 4)
                        .order(ByteOrder.LITTLE_ENDIAN).getFloat());
            }
        }
        return values;
    }

    /** Checks the CRC32C of every tensor stored as its raw bytes (a string tensor's CRC also covers its lengths). */
    private static void checkCrcs(TensorBundleIndex index, Path variables) throws IOException {
        byte[] data = Files.readAllBytes(data(variables, index.numShards()));
        for (TensorBundleIndex.Entry entry : index.entries()) {
            BundleEntryProto proto = entry.proto();
            if (proto.getDtype() == DataType.DT_STRING) {
                continue;
            }
            CRC32C crc = new CRC32C();
            crc.update(Arrays.copyOfRange(data, (int) proto.getOffset(), (int) (proto.getOffset() + proto.getSize())));
            int value = (int) crc.getValue();
            int masked = ((value >>> 15) | (value << 17)) + 0xa282ead8;
            assertThat(proto.getCrc32C()).as("CRC32C of %s", entry.key()).isEqualTo(masked);
        }
    }
}
