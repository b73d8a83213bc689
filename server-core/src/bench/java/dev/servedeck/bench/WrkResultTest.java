package dev.servedeck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** wrk's summary as wrk 4.1 prints it (captured from real runs), read into numbers. */
class WrkResultTest {

    private static final String CLEAN_RUN = """
            Running 1s test @ http://127.0.0.1:18765/
              1 threads and 2 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     9.72ms   26.86ms 143.85ms   91.34%
                Req/Sec     1.41k   528.95     1.80k    88.89%
              Latency Distribution
                 50%    1.12ms
                 75%    2.42ms
                 90%   20.85ms
                 99%  132.95ms
              1290 requests in 1.00s, 165.03KB read
            Requests/sec:   1284.38
            Transfer/sec:    164.31KB
            """;

    private static final String ERROR_RESPONSES = """
            Running 1s test @ http://127.0.0.1:18765/v1/models/nope:predict
              1 threads and 2 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   427.48us  603.39us   5.36ms   91.93%
                Req/Sec     6.75k     1.28k    8.44k    60.00%
              Latency Distribution
                 50%  248.00us
                 75%  343.00us
                 90%  665.00us
                 99%    3.41ms
              6708 requests in 1.00s, 0.90MB read
              Non-2xx or 3xx responses: 6708
            Requests/sec:   6706.20
            Transfer/sec:      0.90MB
            """;

    private static final String SERVER_GONE = """
            Running 1s test @ http://127.0.0.1:18765/
              1 threads and 2 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     0.00us    0.00us   0.00us    -nan%
                Req/Sec     0.00      0.00     0.00      -nan%
              Latency Distribution
                 50%    0.00us
                 75%    0.00us
                 90%    0.00us
                 99%    0.00us
              0 requests in 1.00s, 0.00B read
              Socket errors: connect 0, read 2, write 39002, timeout 0
            Requests/sec:      0.00
            Transfer/sec:       0.00B
            """;

    @Test
    void readsThroughputAndPercentilesInMicroseconds() {
        WrkResult result = WrkResult.parse(CLEAN_RUN);

        assertThat(result.requests()).isEqualTo(1290);
        assertThat(result.seconds()).isCloseTo(1.0, within(1e-9));
        assertThat(result.requestsPerSecond()).isCloseTo(1284.38, within(1e-9));
        assertThat(result.p50Micros()).isCloseTo(1_120, within(1e-6));
        assertThat(result.p99Micros()).isCloseTo(132_950, within(1e-6));
        assertThat(result.clean()).isTrue();
    }

    @Test
    void countsErrorResponses() {
        WrkResult result = WrkResult.parse(ERROR_RESPONSES);

        assertThat(result.non2xx()).isEqualTo(6708);
        assertThat(result.p50Micros()).isCloseTo(248, within(1e-9));
        assertThat(result.p99Micros()).isCloseTo(3_410, within(1e-6));
        assertThat(result.clean()).isFalse();
    }

    @Test
    void addsUpSocketErrors() {
        WrkResult result = WrkResult.parse(SERVER_GONE);

        assertThat(result.requests()).isZero();
        assertThat(result.socketErrors()).isEqualTo(39_004);
        assertThat(result.clean()).isFalse();
    }

    @Test
    void convertsEveryTimeUnitWrkPrints() {
        assertThat(WrkResult.toMicros("1.5", "us")).isEqualTo(1.5);
        assertThat(WrkResult.toMicros("1.5", "ms")).isEqualTo(1_500);
        assertThat(WrkResult.toMicros("1.5", "s")).isEqualTo(1_500_000);
        assertThat(WrkResult.toMicros("1.5", "m")).isEqualTo(90_000_000);
        assertThat(WrkResult.toMicros("1", "h")).isEqualTo(3_600_000_000.0);
    }

    @Test
    void failsLoudlyWithoutLatencyDistribution() {
        String withoutLatencyFlag = CLEAN_RUN.replaceAll("(?m)^\\s+\\d+%.*\\n", "");

        assertThatThrownBy(() -> WrkResult.parse(withoutLatencyFlag))
                .hasMessageContaining("--latency");
    }
}
