package dev.servedeck.core.tensorflow.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.servedeck.core.tensorflow.demo.DemoModels;
import dev.servedeck.core.testing.TfServingTestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table cut short at any byte, or with any byte changed, is refused with a {@link MalformedTableException}
 * (or, for a byte TensorFlow does not read either, read the same): never another exception, never a hang,
 * never a partial list. Run on every real index at hand and on tables of several blocks.
 */
class TableFileTest {

    @TempDir
    Path temp;

    @Test
    void readsTablesOfManyBlocksAndRestartIntervals() throws Exception {
        TreeMap<String, byte[]> entries = new TreeMap<>();
        for (int i = 0; i < 100; i++) {
            entries.put("model/layer_" + i + "/weights", ("value " + i).getBytes(StandardCharsets.UTF_8));
        }
        for (int perBlock : new int[] {1, 7, 100}) {
            for (int restartInterval : new int[] {1, 4, 16}) {
                List<TableEntry> read = TableFile.entries(TableWriter.table(entries, perBlock, restartInterval));

                assertThat(read).extracting(entry -> new String(entry.key(), StandardCharsets.UTF_8))
                        .containsExactlyElementsOf(entries.keySet());
                assertThat(read).extracting(entry -> new String(entry.value(), StandardCharsets.UTF_8))
                        .containsExactlyElementsOf(entries.values().stream()
                                .map(value -> new String(value, StandardCharsets.UTF_8)).toList());
            }
        }
    }

    @Test
    void everyTruncationIsMalformed() throws Exception {
        for (Map.Entry<String, byte[]> index : indexes().entrySet()) {
            byte[] whole = index.getValue();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int length = 0; length < whole.length; length++) {
                    byte[] cut = Arrays.copyOf(whole, length);
                    assertThatThrownBy(() -> TensorBundleIndex.parse(cut))
                            .as("%s cut to %d of %d bytes", index.getKey(), cut.length, whole.length)
                            .isInstanceOf(MalformedTableException.class);
                }
            });
        }
    }

    @Test
    void everyChangedByteIsMalformedOrUnread() throws Exception {
        for (Map.Entry<String, byte[]> index : indexes().entrySet()) {
            byte[] whole = index.getValue();
            List<String> expected = describe(TableFile.entries(whole));
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int position = 0; position < whole.length; position++) {
                    for (int flip : new int[] {0x01, 0x80, 0xff}) {
                        byte[] changed = whole.clone();
                        changed[position] ^= (byte) flip;
                        try {
                            assertThat(describe(TableFile.entries(changed)))
                                    .as("%s with byte %d changed reads as the original or not at all", index.getKey(), position)
                                    .isEqualTo(expected);
                        } catch (MalformedTableException refused) {
                            // as it should be for every byte TensorFlow reads
                        }
                    }
                }
            });
        }
    }

    @Test
    void refusesWhatIsNoTable() {
        assertThatThrownBy(() -> TableFile.entries(new byte[0])).isInstanceOf(MalformedTableException.class)
                .hasMessageContaining("shorter than a table footer");
        assertThatThrownBy(() -> TableFile.entries(new byte[100])).isInstanceOf(MalformedTableException.class)
                .hasMessageContaining("magic");
        byte[] table = TableWriter.table(new TreeMap<>(Map.of("k", new byte[] {1})), 1, 1);
        byte[] longer = Arrays.copyOf(table, table.length + 1);
        assertThatThrownBy(() -> TableFile.entries(longer)).as("bytes after the footer")
                .isInstanceOf(MalformedTableException.class);
    }

    /** Every index at hand: Python TF1 and TF2 (shared test data), TensorFlow Java, and a table of several blocks. */
    private Map<String, byte[]> indexes() throws Exception {
        Map<String, byte[]> indexes = new LinkedHashMap<>();
        for (String model : List.of("saved_model_half_plus_two_cpu", "saved_model_half_plus_two_tf2_cpu",
                "saved_model_half_plus_three", "saved_model_counter")) {
            indexes.put(model, Files.readAllBytes(
                    TfServingTestData.version(model, "00000123").resolve("variables/variables.index")));
        }
        indexes.put("saved_model_using_python", Files.readAllBytes(
                TfServingTestData.tfJavaModel("saved_model_using_python").resolve("1/variables/variables.index")));
        indexes.put("TF Java half_plus_two", Files.readAllBytes(
                DemoModels.writeHalfPlusTwo(temp, 1).resolve("variables/variables.index")));
        TreeMap<String, byte[]> many = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            many.put("layer_" + i, new byte[] {(byte) i});
        }
        indexes.put("several blocks", TableWriter.table(many, 5, 2));
        return indexes;
    }

    private static List<String> describe(List<TableEntry> entries) {
        List<String> described = new ArrayList<>();
        entries.forEach(entry -> described.add(Arrays.toString(entry.key()) + "=" + Arrays.toString(entry.value())));
        return described;
    }
}
