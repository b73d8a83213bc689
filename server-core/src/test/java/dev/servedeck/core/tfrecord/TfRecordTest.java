package dev.servedeck.core.tfrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TFRecord format against values computed outside this code (published CRC32C vectors, a masked CRC from
 * another TFRecord implementation's tests, and a record encoded by a separate bit-by-bit CRC32C), then round
 * trips and every way a file can be damaged.
 */
class TfRecordTest {

    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    @Test
    void crc32cAndItsMaskMatchPublishedValues() {
        // The CRC-32C check value of "123456789" (the Castagnoli polynomial's standard test vector).
        assertThat(crc32c("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283L);
        // A masked CRC as another TFRecord implementation's tests state it (4134599430 = 0xF670_1F06).
        byte[] payload = "1234567890asdfghjkl".getBytes(StandardCharsets.US_ASCII);
        assertThat(Integer.toUnsignedLong(MaskedCrc32c.of(payload, 0, payload.length))).isEqualTo(4134599430L);
        // The mask written out by hand: rotate right by 15, add 0xa282ead8 (mod 2^32).
        assertThat(MaskedCrc32c.mask(0xE3069283)).isEqualTo(0xC78AB0E5);
        assertThat(MaskedCrc32c.unmask(0xC78AB0E5)).isEqualTo(0xE3069283);
    }

    @Test
    void aRecordIsEncodedByteForByteAsTensorflowEncodesIt() throws IOException {
        // length 5 (uint64 LE), masked CRC of the length, "hello", masked CRC of "hello": computed independently.
        assertThat(HEX.formatHex(encode("hello".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("0500000000000000" + "eab2043e" + "68656c6c6f" + "bb1f1c19");
        assertThat(HEX.formatHex(encode(new byte[0]))).isEqualTo("0000000000000000" + "29039807" + "d8ea82a2");
    }

    @Test
    void recordsReadBackAsWritten() throws IOException {
        List<byte[]> records = List.of("first".getBytes(StandardCharsets.UTF_8), new byte[0], bytes(70_000));
        Path file = write(records);

        List<byte[]> read = readAll(file);

        assertThat(read).hasSize(3);
        for (int i = 0; i < records.size(); i++) {
            assertThat(read.get(i)).isEqualTo(records.get(i));
        }
    }

    @Test
    void anEmptyFileHoldsNoRecords() throws IOException {
        assertThat(readAll(Files.write(dir.resolve("empty"), new byte[0]))).isEmpty();
    }

    @Test
    void aDamagedLengthChecksumIsACorruptedRecordAtItsOffset() throws IOException {
        byte[] file = twoRecords();
        int second = secondRecordOffset();
        file[second + 8] ^= 0x01; // the length's checksum

        assertThat(firstProblem(file)).isEqualTo(new Refusal(CorruptRecordException.Problem.LENGTH_CHECKSUM, second,
                "corrupted record at " + second + " (the checksum of its length does not match)", 1));
    }

    @Test
    void aDamagedLengthIsCaughtByItsChecksum() throws IOException {
        byte[] file = twoRecords();
        file[0] ^= 0x02; // the first record's length itself

        assertThat(firstProblem(file).problem()).isEqualTo(CorruptRecordException.Problem.LENGTH_CHECKSUM);
    }

    @Test
    void damagedDataIsACorruptedRecord() throws IOException {
        byte[] file = twoRecords();
        file[12] ^= 0x10; // first byte of the first record's data

        assertThat(firstProblem(file)).isEqualTo(new Refusal(CorruptRecordException.Problem.DATA_CHECKSUM, 0,
                "corrupted record at 0 (the checksum of its data does not match)", 0));
    }

    @Test
    void aDamagedDataChecksumIsACorruptedRecord() throws IOException {
        byte[] file = twoRecords();
        file[file.length - 1] ^= 0x40;

        assertThat(firstProblem(file).problem()).isEqualTo(CorruptRecordException.Problem.DATA_CHECKSUM);
        assertThat(firstProblem(file).offset()).isEqualTo(secondRecordOffset());
    }

    @Test
    void aFileEndingInsideALengthIsATruncatedRecord() throws IOException {
        byte[] file = Arrays.copyOf(twoRecords(), secondRecordOffset() + 5);

        assertThat(firstProblem(file)).isEqualTo(new Refusal(CorruptRecordException.Problem.TRUNCATED_LENGTH,
                secondRecordOffset(), "truncated record at " + secondRecordOffset()
                        + " (the file ends inside its length)", 1));
    }

    @Test
    void aFileEndingInsideTheDataOrItsChecksumIsATruncatedRecord() throws IOException {
        byte[] whole = twoRecords();
        for (int cut = secondRecordOffset() + 12; cut < whole.length; cut++) {
            Refusal refusal = firstProblem(Arrays.copyOf(whole, cut));
            assertThat(refusal.problem()).as("cut at %d", cut).isEqualTo(CorruptRecordException.Problem.TRUNCATED_DATA);
            assertThat(refusal.offset()).isEqualTo(secondRecordOffset());
        }
    }

    @Test
    void aHugeLengthWithAValidChecksumAllocatesNothingAndIsATruncatedRecord() throws IOException {
        byte[] header = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(Long.MAX_VALUE - 3).array();
        java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(8, MaskedCrc32c.of(header, 0, 8));
        byte[] file = Arrays.copyOf(header, 64);

        assertThat(firstProblem(file).problem()).isEqualTo(CorruptRecordException.Problem.TRUNCATED_DATA);
    }

    // ---- helpers ----

    private record Refusal(CorruptRecordException.Problem problem, long offset, String message, int goodRecords) {
    }

    private Refusal firstProblem(byte[] fileBytes) throws IOException {
        Path file = Files.write(dir.resolve("damaged"), fileBytes);
        int good = 0;
        try (TfRecordReader reader = TfRecordReader.open(file)) {
            while (reader.next().isPresent()) {
                good++;
            }
        } catch (CorruptRecordException e) {
            return new Refusal(e.problem(), e.offset(), e.getMessage(), good);
        }
        throw new AssertionError("the damaged file read without complaint");
    }

    private static byte[] twoRecords() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TfRecordWriter writer = new TfRecordWriter(out)) {
            writer.write("alpha".getBytes(StandardCharsets.UTF_8));
            writer.write("the second record".getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** 12 bytes of header, "alpha", 4 bytes of checksum. */
    private static int secondRecordOffset() {
        return 12 + 5 + 4;
    }

    private static byte[] encode(byte[] record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TfRecordWriter writer = new TfRecordWriter(out)) {
            writer.write(record);
        }
        return out.toByteArray();
    }

    private Path write(List<byte[]> records) throws IOException {
        Path file = dir.resolve("records.tfrecord");
        try (TfRecordWriter writer = new TfRecordWriter(Files.newOutputStream(file))) {
            for (byte[] record : records) {
                writer.write(record);
            }
        }
        return file;
    }

    private static List<byte[]> readAll(Path file) throws IOException {
        List<byte[]> records = new ArrayList<>();
        try (TfRecordReader reader = TfRecordReader.open(file)) {
            for (Optional<byte[]> record = reader.next(); record.isPresent(); record = reader.next()) {
                records.add(record.get());
            }
        }
        return records;
    }

    private static long crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }

    private static byte[] bytes(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 31);
        }
        return data;
    }
}
