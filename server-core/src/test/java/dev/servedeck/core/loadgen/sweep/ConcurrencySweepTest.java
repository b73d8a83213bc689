package dev.servedeck.core.loadgen.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servedeck.core.loadgen.HalfPlusTwoServer;
import dev.servedeck.core.loadgen.LoadPlan;
import dev.servedeck.core.loadgen.LoadRun;
import dev.servedeck.core.loadgen.LoadRunner;
import dev.servedeck.core.loadgen.report.SweepJson;
import dev.servedeck.core.loadgen.report.SweepTable;
import dev.servedeck.core.loadgen.rest.RestLoadTarget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrency sweeps against a real server serving TF Serving's half_plus_two over REST. */
class ConcurrencySweepTest {

    private static final String BODY = "{\"instances\":[[1.0],[2.0],[5.0]]}";
    private static HalfPlusTwoServer server;
    private final AtomicInteger runsStarted = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = new HalfPlusTwoServer();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Each run on fresh connections, as the command line's runner does; counts the runs started. */
    private LoadRunner rest() {
        return plan -> {
            runsStarted.incrementAndGet();
            return LoadRun.start(RestLoadTarget.create(URI.create(server.predictUrl("half_plus_two")),
                    BODY.getBytes(StandardCharsets.UTF_8), null, null, 1, 3), plan);
        };
    }

    @Test
    void aSweepMeasuresOnePointPerLevelWhoseCountsAddUp() throws Exception {
        SweepPlan plan = new SweepPlan(List.of(1, 2, 4, 8),
                LoadPlan.closedLoop(1, Duration.ofSeconds(1)).withRequests(200));

        SweepResult sweep = new ConcurrencySweep(rest(), plan).run();

        assertThat(sweep.points()).extracting(SweepPoint::concurrency).containsExactly(1, 2, 4, 8);
        assertThat(runsStarted).hasValue(4);
        for (SweepPoint point : sweep.points()) {
            assertThat(point.result().plan().concurrency()).isEqualTo(point.concurrency());
            assertThat(point.result().sent()).isEqualTo(200);
            assertThat(point.result().answered()).isEqualTo(200);
            assertThat(point.result().statuses()).isEqualTo(Map.of("200", 200L));
            assertThat(point.result().latency().count()).isEqualTo(200);
            assertThat(point.errors()).isZero();
            assertThat(point.requestsPerSecond()).isPositive();
            assertThat(point.rowsPerSecond()).isCloseTo(point.requestsPerSecond() * 3, org.assertj.core.data.Offset.offset(1.0));
            assertThat(point.p50Micros()).isPositive().isLessThanOrEqualTo(point.p99Micros());
        }
        assertThat(sweep.cancelled()).isFalse();
        assertThat(sweep.stoppedEarly()).isFalse();
        assertThat(sweep.target()).contains("/v1/models/half_plus_two:predict");

        JsonNode json = new ObjectMapper().readTree(SweepJson.write(sweep));
        assertThat(json.get("levels").toString()).isEqualTo("[1,2,4,8]");
        assertThat(json.get("points")).hasSize(4);
        assertThat(json.at("/points/2/concurrency").asInt()).isEqualTo(4);
        assertThat(json.at("/points/2/answered").asLong()).isEqualTo(200);
        assertThat(json.at("/points/2/plan/concurrency").asInt()).isEqualTo(4);
        assertThat(json.at("/points/2/latency_micros/p99").asDouble()).isEqualTo(sweep.points().get(2).p99Micros());
        assertThat(SweepTable.write(sweep).lines().filter(line -> line.matches("\\s+\\d+ .*"))).hasSize(4);
    }

    @Test
    void aStopRuleEndsTheSweepAfterTheFirstPointThatMatches() throws Exception {
        SweepPlan plan = new SweepPlan(List.of(1, 2, 4, 8),
                LoadPlan.closedLoop(1, Duration.ofSeconds(1)).withRequests(50));

        SweepResult sweep = new ConcurrencySweep(rest(), plan).lastLevelWhen(point -> point.concurrency() >= 2).run();

        assertThat(sweep.points()).extracting(SweepPoint::concurrency).containsExactly(1, 2);
        assertThat(sweep.stoppedEarly()).isTrue();
        assertThat(runsStarted).hasValue(2);
    }

    @Test
    void cancellingStopsTheLevelRunningAndStartsNoOther() throws Exception {
        // Each level would last a minute: the sweep can only end this soon by being cancelled.
        SweepPlan plan = new SweepPlan(List.of(1, 2, 4), LoadPlan.closedLoop(1, Duration.ofMinutes(1)));
        ConcurrencySweep sweep = new ConcurrencySweep(rest(), plan);
        CompletableFuture<SweepResult> running = sweep.start();
        awaitAnswers(sweep);
        SweepProgress during = sweep.progress();

        sweep.cancel();
        SweepResult result = running.get(30, TimeUnit.SECONDS);

        assertThat(during.level()).isZero();
        assertThat(during.concurrency()).isEqualTo(1);
        assertThat(during.current().answered()).isPositive();
        assertThat(during.fraction()).isBetween(0.0, 1.0 / 3);
        assertThat(result.cancelled()).isTrue();
        assertThat(result.points()).hasSize(1);
        SweepPoint cut = result.points().get(0);
        assertThat(cut.result().answered()).isEqualTo(cut.result().sent()).isPositive();
        assertThat(cut.result().measured()).isLessThan(Duration.ofSeconds(30));
        assertThat(runsStarted).hasValue(1);
    }

    private static void awaitAnswers(ConcurrencySweep sweep) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            SweepProgress progress = sweep.progress();
            if (progress.current() != null && progress.current().answered() > 20) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the first level never answered");
    }

    @Test
    void levelsParseFromTheCommandLineAndDefaultToDoubling() {
        assertThat(SweepPlan.parseLevels("1,2, 4,8")).containsExactly(1, 2, 4, 8);
        assertThat(SweepPlan.parseLevels("")).containsExactly(1, 2, 4, 8, 16, 32, 64);
        assertThat(SweepPlan.doubling(1, 48)).containsExactly(1, 2, 4, 8, 16, 32, 48);
    }
}
