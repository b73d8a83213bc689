package dev.servedeck.core.tfrecord;

import java.io.IOException;

/**
 * A TFRecord file that is not what its checksums and lengths say. The message is TensorFlow's record
 * reader's ("corrupted record at 42", "truncated record at 42", with the byte offset where the record
 * starts), followed by what exactly is wrong.
 */
public final class CorruptRecordException extends IOException {

    /** What is wrong with the record. */
    public enum Problem {
        /** The stored checksum of the length does not match the length. */
        LENGTH_CHECKSUM("corrupted record at %d (the checksum of its length does not match)"),
        /** The stored checksum of the data does not match the data. */
        DATA_CHECKSUM("corrupted record at %d (the checksum of its data does not match)"),
        /** The file ends inside the record's header. */
        TRUNCATED_LENGTH("truncated record at %d (the file ends inside its length)"),
        /** The file ends before the record's data and checksum do (or the length is wrong). */
        TRUNCATED_DATA("truncated record at %d (the file ends before its data does)"),
        /** The record is longer than one Java array can hold. */
        TOO_LARGE("record size too large at %d");

        private final String format;

        Problem(String format) {
            this.format = format;
        }
    }

    private final Problem problem;
    private final long offset;

    CorruptRecordException(Problem problem, long offset) {
        super(String.format(problem.format, offset));
        this.problem = problem;
        this.offset = offset;
    }

    public Problem problem() {
        return problem;
    }

    /** Where the record starts in the file (bytes). */
    public long offset() {
        return offset;
    }
}
