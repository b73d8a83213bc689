package dev.servedeck.core.loadgen;

import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.rest.RestOptions;
import dev.servedeck.core.server.ModelServer;
import dev.servedeck.core.server.ModelServerOptions;
import dev.servedeck.core.testing.TfServingTestData;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A real ServeDeck server on 127.0.0.1 (REST and gRPC on free ports) serving TF Serving's half_plus_two. */
public final class HalfPlusTwoServer implements AutoCloseable {

    private final ModelServer server;

    public HalfPlusTwoServer() {
        this(options -> options);
    }

    /** With options changed first, e.g. a token file. */
    public HalfPlusTwoServer(UnaryOperator<ModelServerOptions> customize) {
        this(core -> core, customize);
    }

    /** With the core's options changed too, e.g. batching on. */
    public HalfPlusTwoServer(UnaryOperator<ServerCoreOptions> core, UnaryOperator<ModelServerOptions> customize) {
        String config = """
                model_config_list {
                  config { name: "half_plus_two" base_path: "%s" }
                }
                """.formatted(TfServingTestData.model("saved_model_half_plus_two_cpu"));
        server = ModelServer.start(customize.apply(new ModelServerOptions(core.apply(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO)),
                        Optional.of(new RestOptions("127.0.0.1", 0, 2, Duration.ofSeconds(30), false, 1 << 20)),
                        Optional.of(GrpcOptions.defaults().withPort(0).withMaxThreads(4)), Optional.empty(),
                        Duration.ZERO)),
                ModelServerConfigFile.parse(config, "test config"));
    }

    public ServerCore core() {
        return server.core();
    }

    public int restPort() {
        return server.restPort().orElseThrow();
    }

    public int grpcPort() {
        return server.grpcPort().orElseThrow();
    }

    public String predictUrl(String model) {
        return "http://127.0.0.1:" + restPort() + "/v1/models/" + model + ":predict";
    }

    @Override
    public void close() {
        server.close();
    }
}
