package dev.servedeck.console.backend.tfserving;

import dev.servedeck.console.backend.remote.RemoteTransport;
import dev.servedeck.console.connections.Connection;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc;
import dev.servedeck.proto.admin.v1.GetServerInfoRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks a server once whether it serves ServeDeck's admin API (GetServerInfo): a plain tensorflow_model_server, or a
 * ServeDeck server started with {@code --admin_api=false}, answers UNIMPLEMENTED as for any unknown service.
 */
public final class AdminApiProbe {

    /** What the server answered. */
    public enum Answer {
        /** GetServerInfo answered (or refused the token: the service exists). */
        ADMIN_API,
        /** UNIMPLEMENTED: TF Serving's services only. */
        TF_SERVING_ONLY,
        /** No answer in time: the kind of server is unknown. */
        UNREACHABLE
    }

    private AdminApiProbe() {
    }

    /**
     * Blocks up to {@code deadline}: call it off the FX thread.
     *
     * @throws IllegalArgumentException when the connection's TLS files or key do not read
     */
    public static Answer ask(Connection connection, Optional<String> token, Optional<String> clientKeyPem,
            Duration deadline) {
        try (RemoteTransport transport = new RemoteTransport(connection, token, clientKeyPem)) {
            transport.stub(AdminServiceGrpc::newBlockingStub)
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .getServerInfo(GetServerInfoRequest.getDefaultInstance());
            return Answer.ADMIN_API;
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNIMPLEMENTED) {
                return Answer.TF_SERVING_ONLY;
            }
            return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED ? Answer.UNREACHABLE
                    : Answer.ADMIN_API;
        }
    }
}
