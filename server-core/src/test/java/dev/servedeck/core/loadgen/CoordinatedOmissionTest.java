package dev.servedeck.core.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servedeck.core.loadgen.rest.RestLoadTarget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the engine makes of a server that stops for a moment: a closed loop waits politely and reports one slow
 * request; an open loop keeps its schedule, so every request due during the stall is late, and says so. Also
 * timeouts and the bound on what an open loop holds.
 */
class CoordinatedOmissionTest {

    private static final Duration STALL = Duration.ofMillis(600);

    private static LoadResult run(StallingHttpServer server, LoadPlan plan) throws Exception {
        RestLoadTarget target = RestLoadTarget.create(URI.create("http://127.0.0.1:" + server.port() + "/v1/models/m:predict"),
                "{\"instances\":[1.0]}".getBytes(StandardCharsets.UTF_8), null, null, 1, 1);
        return LoadRun.start(target, plan).result().get(60, TimeUnit.SECONDS);
    }

    @Test
    void anOpenLoopCountsTheStallAgainstEveryRequestScheduledDuringIt() throws Exception {
        LoadResult closed;
        try (StallingHttpServer server = new StallingHttpServer(100, STALL)) {
            closed = run(server, LoadPlan.closedLoop(1, Duration.ofSeconds(2)));
        }
        LoadResult open;
        try (StallingHttpServer server = new StallingHttpServer(100, STALL)) {
            open = run(server, LoadPlan.openLoop(200, 1, Duration.ofSeconds(2)));
        }

        // Both saw the one 600 ms answer.
        assertThat(closed.latency().maxMicros()).isGreaterThan(500_000);
        assertThat(open.latency().maxMicros()).isGreaterThan(500_000);
        // The closed loop sent nothing while it waited: one slow request among many, its p90 stays fast.
        assertThat(closed.latency().p90Micros()).isLessThan(50_000);
        // At 200 req/s about 120 requests were due during the stall (30% of 400): each counts from its send
        // time, so the p90 is hundreds of milliseconds.
        assertThat(open.latency().p90Micros()).isGreaterThan(100_000);
        assertThat(open.answered()).isBetween(380L, 401L);
    }

    @Test
    void anOpenLoopSendsAtItsRate() throws Exception {
        try (StallingHttpServer server = new StallingHttpServer(Long.MAX_VALUE, Duration.ZERO)) {
            LoadResult result = run(server, LoadPlan.openLoop(300, 8, Duration.ofSeconds(2)));

            assertThat(result.sent() + result.unsent()).isBetween(599L, 601L);
            assertThat(result.sent()).isGreaterThan(570);
            assertThat(result.requestsPerSecond()).isCloseTo(300, within(30.0));
            assertThat(server.requests()).isEqualTo(result.sent());
        }
    }

    @Test
    void aRequestWithoutAnAnswerInTimeCountsAsATimeout() throws Exception {
        try (StallingHttpServer server = new StallingHttpServer(3, Duration.ofSeconds(3))) {
            LoadResult result = run(server, LoadPlan.closedLoop(1, Duration.ofSeconds(1)).withRequests(6)
                    .withTimeout(Duration.ofMillis(300)));

            assertThat(result.answered()).isEqualTo(6);
            assertThat(result.statuses()).containsEntry("timeout", 1L).containsEntry("200", 5L);
            assertThat(result.errors()).isEqualTo(java.util.Map.of("timeout", 1L));
        }
    }

    @Test
    void anOpenLoopThatTheServerCannotFollowCountsItsBacklogInsteadOfQueueingIt() throws Exception {
        try (StallingHttpServer server = new StallingHttpServer(10, Duration.ofMillis(1500))) {
            LoadResult result = run(server, LoadPlan.openLoop(1000, 1, Duration.ofSeconds(1)));

            // One connection, held from the 10th request for longer than the run: the other ~990 requests of
            // the schedule never find it free. Sending only ever takes a free connection, so they are a count.
            assertThat(result.sent()).isEqualTo(result.answered()).isLessThan(50);
            assertThat(result.sent() + result.unsent()).isBetween(990L, 1001L);
            assertThat(result.unsent()).isGreaterThan(900);
            assertThat(result.latency().maxMicros()).isGreaterThan(1_000_000);
        }
    }
}
