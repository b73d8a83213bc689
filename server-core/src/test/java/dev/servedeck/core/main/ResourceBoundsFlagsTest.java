package dev.servedeck.core.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.grpc.GrpcOptions;
import dev.servedeck.core.inference.TensorByteLimit;
import dev.servedeck.core.rest.RestConnectionLimits;
import dev.servedeck.core.server.ModelServerOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ServeDeck's flags for the bounds on what a request or client may cost, parsed in process. */
class ResourceBoundsFlagsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ModelServerOptions options = parse("--rest_api_port=8501");

        assertThat(options.core().tensorByteLimit()).isEqualTo(TensorByteLimit.DEFAULT);
        assertThat(options.rest().orElseThrow().connectionLimits()).isEqualTo(RestConnectionLimits.defaults());
        assertThat(RestConnectionLimits.defaults()).isEqualTo(new RestConnectionLimits(Duration.ofSeconds(75),
                Duration.ofSeconds(30), 1024, 16));
        assertThat(options.grpc().orElseThrow().maxCallsAwaitingMessage()).isEqualTo(256);
    }

    @Test
    void everyBoundHasAFlag() {
        ModelServerOptions options = parse("--rest_api_port=8501", "--max_tensor_bytes=1048576",
                "--rest_api_idle_timeout_in_ms=5000", "--rest_api_read_timeout_in_ms=2000",
                "--rest_api_max_connections=10", "--rest_api_max_pipelined_requests=2",
                "--grpc_max_calls_awaiting_message=8");

        assertThat(options.core().tensorByteLimit()).isEqualTo(new TensorByteLimit(1 << 20, 2 << 20));
        assertThat(options.rest().orElseThrow().connectionLimits()).isEqualTo(new RestConnectionLimits(
                Duration.ofSeconds(5), Duration.ofSeconds(2), 10, 2));
        assertThat(options.grpc().orElseThrow().maxCallsAwaitingMessage()).isEqualTo(8);
    }

    @Test
    void theTensorBoundIsAtMostTheGrpcMessageLimit() {
        assertThat(parse("--grpc_max_message_bytes=1000000").core().tensorByteLimit().maxBytes())
                .as("a lower message limit lowers the default").isEqualTo(1_000_000);
        assertThat(parse("--grpc_channel_arguments=grpc.max_receive_message_length=2000000").core().tensorByteLimit()
                .maxBytes()).isEqualTo(2_000_000);
        assertThat(parse("--grpc_max_message_bytes=1073741824", "--max_tensor_bytes=1073741824").core()
                .tensorByteLimit().maxBytes()).isEqualTo(1L << 30);
        assertThat(parse("--port=0", "--rest_api_port=8501", "--max_tensor_bytes=1073741824").core()
                .tensorByteLimit().maxBytes()).as("without gRPC there is no message limit").isEqualTo(1L << 30);
        assertThatThrownBy(() -> parse("--max_tensor_bytes=1073741824")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--max_tensor_bytes=1073741824 exceeds the largest gRPC message (268435456 bytes, "
                        + "--grpc_max_message_bytes or grpc.max_receive_message_length); raise that first");
        assertThatThrownBy(() -> parse("--max_tensor_bytes=0")).hasMessageContaining("--max_tensor_bytes must be positive");
    }

    @Test
    void theInFlightBoundIsTwiceThePerRequestOneUnlessGivenAndNeverBelowIt() {
        assertThat(TensorByteLimit.DEFAULT.maxInFlightBytes()).isEqualTo(512L << 20);
        assertThat(parse("--max_in_flight_tensor_bytes=1073741824").core().tensorByteLimit())
                .isEqualTo(new TensorByteLimit(256L << 20, 1L << 30));
        assertThatThrownBy(() -> parse("--max_tensor_bytes=1000", "--max_in_flight_tensor_bytes=999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max_in_flight_tensor_bytes (999) must be at least --max_tensor_bytes (1000)");
    }

    @Test
    void nonPositiveBoundsAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> parse("--rest_api_port=8501", "--rest_api_max_connections=0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rest_api_max_connections");
        assertThatThrownBy(() -> parse("--grpc_max_calls_awaiting_message=-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--grpc_max_calls_awaiting_message");
        assertThat(GrpcOptions.defaults().maxCallsAwaitingMessage()).isEqualTo(GrpcOptions.DEFAULT_MAX_CALLS_AWAITING_MESSAGE);
    }

    private static ModelServerOptions parse(String... args) {
        ServerCommand command = new ServerCommand();
        ServerCommand.commandLine(command).parseArgs(args);
        return command.serverOptions();
    }
}
