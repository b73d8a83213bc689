package dev.servedeck.core.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Unary gRPC calls with request bytes as they are, so a test can send what no generated class would write. */
public final class RawGrpc {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** The status of a call (OK for an answer) and its description. */
    public record Outcome(Status status, byte[] response) {
        public Status.Code code() {
            return status.getCode();
        }
    }

    private RawGrpc() {
    }

    /** @param method the full method name, e.g. {@code tensorflow.serving.PredictionService/Predict} */
    public static Outcome call(Channel channel, String method, byte[] request, long deadlineSeconds) {
        MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        try {
            byte[] response = ClientCalls.blockingUnaryCall(channel, descriptor,
                    CallOptions.DEFAULT.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS), request);
            return new Outcome(Status.OK, response);
        } catch (StatusRuntimeException e) {
            return new Outcome(e.getStatus(), new byte[0]);
        }
    }
}
