package dev.servedeck.core.loadgen.grpc;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Predict with a request serialized once and an answer skipped, not parsed: a load generator measures the
 * server, so it spends nothing per call on protobuf (h2load, the C tool it is compared with, does the same).
 */
final class PrebuiltMessages {

    private PrebuiltMessages() {
    }

    static MethodDescriptor<byte[], Boolean> method(String fullMethodName) {
        return MethodDescriptor.<byte[], Boolean>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullMethodName)
                .setRequestMarshaller(new SerializedRequest())
                .setResponseMarshaller(new SkippedAnswer())
                .build();
    }

    private static final class SerializedRequest implements Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new KnownLengthBytes(value);
        }

        /** The other direction, complete for symmetry (a load client never receives requests): the bytes as sent. */
        @Override
        public byte[] parse(InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Reads the answer's bytes to the end (so its buffers are released) and keeps nothing. */
    private static final class SkippedAnswer implements Marshaller<Boolean> {
        /** The other direction (a load client never sends answers): an empty message, which is valid protobuf. */
        @Override
        public InputStream stream(Boolean value) {
            return new KnownLengthBytes(new byte[0]);
        }

        @Override
        public Boolean parse(InputStream stream) {
            try (stream) {
                stream.transferTo(OutputStream.nullOutputStream());
                return Boolean.TRUE;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Bytes whose length grpc-java can read up front and copy straight into its frame. */
    private static final class KnownLengthBytes extends ByteArrayInputStream implements KnownLength, Drainable {
        KnownLengthBytes(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int length = count - pos;
            target.write(buf, pos, length);
            pos = count;
            return length;
        }
    }
}
