package dev.servedeck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servedeck.core.grpc.GrpcLoadClient;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** h2load's summary as nghttp2 1.52 prints it (captured from real gRPC runs), read into a load result. */
class H2loadRunnerTest {

    /** 200 Predict calls to half_plus_two: each answer is a 68-byte gRPC message (5-byte prefix + 63). */
    private static final String ANSWERED = """
            finished in 299.70ms, 667.33 req/s, 65.64KB/s
            requests: 200 total, 200 started, 200 done, 200 succeeded, 0 failed, 0 errored, 0 timeout
            status codes: 200 2xx, 0 3xx, 0 4xx, 0 5xx
            traffic: 19.67KB (20146) total, 866B (866) headers (space savings 94.78%), 13.28KB (13600) data
            """;

    /** 200 Predict calls to an unknown model: HTTP 200 every time, gRPC NOT_FOUND in trailers, no DATA. */
    private static final String REFUSED_IN_TRAILERS = """
            finished in 393.46ms, 508.31 req/s, 6.84KB/s
            requests: 200 total, 200 started, 200 done, 200 succeeded, 0 failed, 0 errored, 0 timeout
            status codes: 200 2xx, 0 3xx, 0 4xx, 0 5xx
            traffic: 2.69KB (2755) total, 889B (889) headers (space savings 95.81%), 0B (0) data
            """;

    @Test
    void answeredCallsGiveRateAndPercentilesFromTheLog() {
        long[] micros = LongStream.rangeClosed(1, 200).toArray(); // 1..200 µs, shuffled order does not matter
        GrpcLoadClient.Result result = H2loadRunner.parse(ANSWERED, micros, 68);
        assertThat(result.calls()).isEqualTo(200);
        assertThat(result.failures()).isZero();
        assertThat(result.callsPerSecond()).isCloseTo(667.33, within(0.01));
        assertThat(result.elapsed()).isEqualTo(Duration.ofNanos(299_700_000));
        assertThat(result.p50()).isEqualTo(Duration.ofNanos(100_000));
        assertThat(result.p99()).isEqualTo(Duration.ofNanos(198_000));
    }

    @Test
    void callsAnsweredWithoutAMessageAreFailuresThoughHttpSaysOk() {
        GrpcLoadClient.Result result = H2loadRunner.parse(REFUSED_IN_TRAILERS, new long[] {5, 6}, 68);
        assertThat(result.failures()).isEqualTo(200);
        assertThat(result.callsPerSecond()).isZero();
    }

    @Test
    void framesTheMessageAsGrpcDoes() {
        assertThat(H2loadRunner.framed(new byte[] {7, 8, 9})).containsExactly(0, 0, 0, 0, 3, 7, 8, 9);
    }

    @Test
    void outputWithoutASummaryIsAnError() {
        assertThatThrownBy(() -> H2loadRunner.parse("connect error\n", new long[0], 68))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("h2load printed no line");
    }
}
