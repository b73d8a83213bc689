package dev.servedeck.core.grpc;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A service whose request messages are parsed here instead of inside grpc-java, so that bytes that are not the
 * request message answer INVALID_ARGUMENT ("Invalid protobuf byte sequence: ...") quietly. Left to grpc-java, a
 * parse failure escapes the call as an application error: the client gets UNKNOWN "Application error processing
 * RPC" and the server logs a SEVERE stack trace, one per bad message, which a client can send by the thousand.
 *
 * <p>The transport hands over its own stream and the protobuf marshaller reads it as before (no copy); answers pass
 * through as the marshaller's stream. The service implementation sees parsed messages as always.
 */
final class RequestMessageParsing {

    private static final MethodDescriptor.Marshaller<InputStream> STREAMS = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            // grpc-java's transports hand out markable streams; others are buffered, as its own stream marshaller does.
            return stream.markSupported() ? stream : new BufferedInputStream(stream);
        }
    };

    private RequestMessageParsing() {
    }

    static ServerServiceDefinition wrap(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        // The schema goes along: server reflection reads the service's proto file from it.
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<InputStream, InputStream>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<InputStream, InputStream> raw = wrap(method);
            descriptor.addMethod(raw.getMethodDescriptor());
            methods.add(raw);
        }
        ServerServiceDefinition.Builder wrapped = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(wrapped::addMethod);
        return wrapped.build();
    }

    private static <Q, A> ServerMethodDefinition<InputStream, InputStream> wrap(ServerMethodDefinition<Q, A> method) {
        MethodDescriptor<Q, A> typed = method.getMethodDescriptor();
        MethodDescriptor<InputStream, InputStream> raw = typed.toBuilder(STREAMS, STREAMS).build();
        return ServerMethodDefinition.create(raw, new ParsingHandler<>(typed, method.getServerCallHandler()));
    }

    private static final class ParsingHandler<Q, A> implements ServerCallHandler<InputStream, InputStream> {

        private final MethodDescriptor<Q, A> typed;
        private final ServerCallHandler<Q, A> handler;

        ParsingHandler(MethodDescriptor<Q, A> typed, ServerCallHandler<Q, A> handler) {
            this.typed = typed;
            this.handler = handler;
        }

        @Override
        public ServerCall.Listener<InputStream> startCall(ServerCall<InputStream, InputStream> call, Metadata headers) {
            TypedCall<Q, A> typedCall = new TypedCall<>(call, typed);
            ServerCall.Listener<Q> listener = handler.startCall(typedCall, headers);
            return new ServerCall.Listener<>() {
                private boolean refused;

                @Override
                public void onMessage(InputStream message) {
                    if (refused) {
                        return;
                    }
                    Q parsed;
                    try {
                        parsed = typed.parseRequest(message);
                    } catch (StatusRuntimeException e) {
                        refused = true;
                        Throwable cause = e.getCause() == null ? e : e.getCause();
                        typedCall.close(Status.INVALID_ARGUMENT.withDescription("Invalid protobuf byte sequence: "
                                + cause.getMessage()), new Metadata());
                        return;
                    }
                    listener.onMessage(parsed);
                }

                @Override
                public void onHalfClose() {
                    if (!refused) {
                        listener.onHalfClose();
                    }
                }

                @Override
                public void onCancel() {
                    listener.onCancel();
                }

                @Override
                public void onComplete() {
                    listener.onComplete();
                }

                @Override
                public void onReady() {
                    if (!refused) {
                        listener.onReady();
                    }
                }
            };
        }
    }

    /** The call as the typed service sees it: its answers go out as the protobuf marshaller's streams. */
    private static final class TypedCall<Q, A> extends ServerCall<Q, A> {

        private final ServerCall<InputStream, InputStream> call;
        private final MethodDescriptor<Q, A> typed;

        TypedCall(ServerCall<InputStream, InputStream> call, MethodDescriptor<Q, A> typed) {
            this.call = call;
            this.typed = typed;
        }

        @Override
        public void request(int numMessages) {
            call.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            call.sendHeaders(headers);
        }

        @Override
        public void sendMessage(A message) {
            call.sendMessage(typed.streamResponse(message));
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        /** ServerCall's own is a no-op: without this, a streaming service's threshold would never reach the stream. */
        @Override
        public void setOnReadyThreshold(int numBytes) {
            call.setOnReadyThreshold(numBytes);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            call.close(status, trailers);
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            call.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            call.setCompression(compressor);
        }

        @Override
        public io.grpc.Attributes getAttributes() {
            return call.getAttributes();
        }

        @Override
        public String getAuthority() {
            return call.getAuthority();
        }

        @Override
        public MethodDescriptor<Q, A> getMethodDescriptor() {
            return typed;
        }
    }
}
