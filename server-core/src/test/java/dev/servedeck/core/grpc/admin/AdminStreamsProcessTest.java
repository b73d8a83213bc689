package dev.servedeck.core.grpc.admin;

import static dev.servedeck.core.grpc.admin.AdminTestServer.ADMIN_TOKEN;
import static dev.servedeck.core.grpc.admin.AdminTestServer.MODEL;
import static dev.servedeck.core.grpc.admin.AdminTestServer.MONITOR_TOKEN;
import static dev.servedeck.core.grpc.admin.AdminTestServer.PREDICT_TOKEN;
import static dev.servedeck.core.grpc.admin.AdminTestServer.admin;
import static dev.servedeck.core.grpc.admin.AdminTestServer.adminAsync;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.testing.Await;
import dev.servedeck.core.testing.CuttableTcpProxy;
import dev.servedeck.proto.admin.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.servedeck.proto.admin.v1.ApplyBatchingParametersRequest;
import dev.servedeck.proto.admin.v1.EventUpdate;
import dev.servedeck.proto.admin.v1.GetBatchingParametersRequest;
import dev.servedeck.proto.admin.v1.GetServerInfoRequest;
import dev.servedeck.proto.admin.v1.RequestLogUpdate;
import dev.servedeck.proto.admin.v1.ScopeStatistics;
import dev.servedeck.proto.admin.v1.ServerEvent;
import dev.servedeck.proto.admin.v1.StatisticsUpdate;
import dev.servedeck.proto.admin.v1.StreamEventsRequest;
import dev.servedeck.proto.admin.v1.StreamStatisticsRequest;
import dev.servedeck.proto.admin.v1.TailRequestLogRequest;
import dev.servedeck.proto.admin.v1.UnloadVersionRequest;
import dev.servedeck.proto.admin.v1.LoadVersionRequest;
import dev.servedeck.proto.admin.v1.VersionState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's streams against the headless server in a process of its own, over TLS with tokens: statistics
 * every step, a reader that stops reading and gets the newest step afterwards, events with sequence numbers, the
 * request log tail, the cap on open streams, and a client whose network goes away and comes back.
 */
class AdminStreamsProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path temp;

    private static AdminTestServer server;
    private static ManagedChannel channel;
    private static AdminServiceBlockingStub admin;

    @BeforeAll
    static void start() throws Exception {
        server = AdminTestServer.start(temp);
        channel = server.channel();
        admin = admin(channel, ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            String log = server.process.log();
            long started = System.nanoTime();
            assertThat(server.process.stop()).as(log).isZero();
            // Open streams do not hold the graceful shutdown for its whole grace period (10 s).
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void statisticsComeEveryHalfSecondWithTheNumbersOfEachScope() throws Exception {
        StreamRecorder<StreamStatisticsRequest, StatisticsUpdate> stream = StreamRecorder.reading();
        adminAsync(channel, MONITOR_TOKEN).streamStatistics(StreamStatisticsRequest.getDefaultInstance(), stream);
        for (int i = 0; i < 10; i++) {
            AdminTestServer.predict(channel, 1f);
        }
        List<StatisticsUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            updates.add(stream.next(WAIT));
        }
        stream.cancel();

        for (int i = 1; i < updates.size(); i++) {
            assertThat(updates.get(i).getSequence()).isEqualTo(updates.get(i - 1).getSequence() + 1);
            assertThat(updates.get(i).getSkipped()).isZero();
        }
        StatisticsUpdate first = updates.get(0);
        assertThat(first.getStepMillis()).isEqualTo(500);
        assertThat(first.getScopes(0).getModel()).isEmpty(); // the whole server first
        long spanMillis = updates.get(5).getTakenAt().getSeconds() * 1000 + updates.get(5).getTakenAt().getNanos() / 1_000_000
                - (first.getTakenAt().getSeconds() * 1000 + first.getTakenAt().getNanos() / 1_000_000);
        assertThat(spanMillis).isBetween(2000L, 3500L);
        // The ten predictions show in some step of half_plus_two's scope and of its version, batching included.
        assertThat(updates.stream().flatMap(update -> update.getScopesList().stream())
                .filter(scope -> scope.getModel().equals(MODEL) && scope.getVersion() == 0)
                .mapToDouble(ScopeStatistics::getRequestsPerSecond).sum()).isPositive();
        assertThat(updates.stream().flatMap(update -> update.getScopesList().stream())
                .anyMatch(scope -> scope.getModel().equals(MODEL) && scope.getVersion() == 124)).isTrue();
        assertThat(updates).allMatch(StatisticsUpdate::hasBatching);
    }

    @Test
    void aReaderThatStopsReadingGetsTheNewestStepAfterwardsNotABacklog() throws Exception {
        // A client whose HTTP/2 window holds only a few updates (an idle server's are under 100 bytes): what does
        // not fit would wait on the server, which keeps only the newest.
        ManagedChannel slow = server.channelBuilder(server.process.grpcPort()).flowControlWindow(256).build();
        try {
            StreamRecorder<StreamStatisticsRequest, StatisticsUpdate> stream = new StreamRecorder<>(1);
            adminAsync(slow, MONITOR_TOKEN).streamStatistics(StreamStatisticsRequest.getDefaultInstance(), stream);
            StatisticsUpdate before = stream.next(WAIT);

            Thread.sleep(10_000); // 20 steps without reading
            Instant resumed = Instant.now();
            stream.request(Integer.MAX_VALUE);
            List<StatisticsUpdate> after = stream.during(Duration.ofMillis(1500));

            assertThat(after).isNotEmpty();
            StatisticsUpdate newest = after.get(after.size() - 1);
            long steps = newest.getSequence() - before.getSequence();
            assertThat(steps).isGreaterThanOrEqualTo(20);
            // Far fewer messages than steps: the server skipped the ones the client could not take ...
            assertThat(after.size()).isLessThan((int) steps / 2);
            assertThat(after.stream().mapToLong(StatisticsUpdate::getSkipped).sum())
                    .isEqualTo(steps - after.size());
            // ... and what came last is current: taken about when the client resumed, not 10 s before. (Measured
            // against the resume, not against the end of the window: at load average 20 the last step of the window
            // can arrive late, which says nothing about a backlog.)
            Instant newestTaken = Instant.ofEpochSecond(newest.getTakenAt().getSeconds(), newest.getTakenAt().getNanos());
            assertThat(newestTaken).isAfter(resumed.minus(Duration.ofSeconds(1)));
            stream.cancel();
        } finally {
            slow.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void eventsCarryVersionStatesAndChangesWithSequenceNumbers() throws Exception {
        StreamRecorder<StreamEventsRequest, EventUpdate> stream = StreamRecorder.reading();
        adminAsync(channel, MONITOR_TOKEN).streamEvents(StreamEventsRequest.getDefaultInstance(), stream);
        admin.loadVersion(LoadVersionRequest.newBuilder().setModel(MODEL).setVersion(123).build());
        admin.unloadVersion(UnloadVersionRequest.newBuilder().setModel(MODEL).setVersion(123).build());

        List<ServerEvent> events = new ArrayList<>();
        while (events.stream().noneMatch(event -> event.getVersion() == 123 && event.getState() == VersionState.END)) {
            EventUpdate update = stream.next(WAIT);
            if (update.hasEvent()) {
                events.add(update.getEvent());
            }
        }
        stream.cancel();

        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).getSequence()).isGreaterThan(events.get(i - 1).getSequence());
        }
        assertThat(events).filteredOn(event -> event.getVersion() == 123).extracting(ServerEvent::getState)
                .containsSubsequence(VersionState.LOADING, VersionState.AVAILABLE, VersionState.UNLOADING,
                        VersionState.END);
        assertThat(events).extracting(ServerEvent::getKind).contains(ServerEvent.Kind.CONFIG_APPLIED);
        String instance = admin.getServerInfo(GetServerInfoRequest.getDefaultInstance()).getInstanceId();
        assertThat(events).extracting(ServerEvent::getInstanceId).containsOnly(instance);
    }

    @Test
    void theRequestLogTailStartsWithRecentEntriesThenFollows() throws Exception {
        AdminTestServer.predict(channel, 3f);
        StreamRecorder<TailRequestLogRequest, RequestLogUpdate> stream = StreamRecorder.reading();
        adminAsync(channel, MONITOR_TOKEN).tailRequestLog(TailRequestLogRequest.newBuilder().setRecent(1)
                .setModel(MODEL).build(), stream);
        RequestLogUpdate recent = stream.next(WAIT);
        AdminTestServer.predict(channel, 5f);
        RequestLogUpdate live = stream.next(WAIT);
        stream.cancel();

        assertThat(recent.getEntry().getModel()).isEqualTo(MODEL);
        assertThat(live.getEntry().getModel()).isEqualTo(MODEL);
        assertThat(live.getEntry().getApi()).isEqualTo("Predict");
        assertThat(live.getEntry().getEntrypoint()).isEqualTo("GRPC");
        assertThat(live.getEntry().getStatusCode()).isEqualTo("OK");
        assertThat(live.getEntry().getVersion()).isEqualTo(124);
        assertThat(live.getEntry().getLatencyMicros()).isPositive();
    }

    @Test
    void streamsAreCappedAndTheirPlacesFreedWhenClientsGo() throws Exception {
        int max = admin.getServerInfo(GetServerInfoRequest.getDefaultInstance()).getMaxAdminStreams();
        int openBefore = admin.getServerInfo(GetServerInfoRequest.getDefaultInstance()).getAdminStreamsOpen();
        List<StreamRecorder<StreamStatisticsRequest, StatisticsUpdate>> streams = new ArrayList<>();
        for (int i = openBefore; i < max; i++) {
            StreamRecorder<StreamStatisticsRequest, StatisticsUpdate> stream = StreamRecorder.reading();
            adminAsync(channel, MONITOR_TOKEN).streamStatistics(StreamStatisticsRequest.getDefaultInstance(), stream);
            stream.next(WAIT);
            streams.add(stream);
        }
        StreamRecorder<StreamStatisticsRequest, StatisticsUpdate> refused = StreamRecorder.reading();
        adminAsync(channel, MONITOR_TOKEN).streamStatistics(StreamStatisticsRequest.getDefaultInstance(), refused);
        assertThat(refused.ended(WAIT).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        streams.forEach(StreamRecorder::cancel);
        Await.until(() -> admin.getServerInfo(GetServerInfoRequest.getDefaultInstance()).getAdminStreamsOpen()
                == openBefore, WAIT);
    }

    @Test
    void aClientWhoseNetworkDropsResumesAfterTheLastEventItSaw() throws Exception {
        try (CuttableTcpProxy network = new CuttableTcpProxy(server.process.grpcPort())) {
            ManagedChannel remote = server.channel(network.port());
            try {
                String instance = admin.getServerInfo(GetServerInfoRequest.getDefaultInstance()).getInstanceId();
                StreamRecorder<StreamEventsRequest, EventUpdate> events = StreamRecorder.reading();
                adminAsync(remote, MONITOR_TOKEN).streamEvents(StreamEventsRequest.getDefaultInstance(), events);
                StreamRecorder<StreamStatisticsRequest, StatisticsUpdate> statistics = StreamRecorder.reading();
                adminAsync(remote, MONITOR_TOKEN).streamStatistics(StreamStatisticsRequest.getDefaultInstance(),
                        statistics);
                statistics.next(WAIT);
                String batching = admin.getBatchingParameters(GetBatchingParametersRequest.getDefaultInstance())
                        .getParametersText();
                admin.applyBatchingParameters(ApplyBatchingParametersRequest.newBuilder()
                        .setParametersText(batching).build());
                // The stream starts with the events the server holds; the batching change is the newest.
                ServerEvent seen = nextEvent(events);
                while (seen.getKind() != ServerEvent.Kind.BATCHING_CHANGED) {
                    seen = nextEvent(events);
                }
                long lastSeen = seen.getSequence();
                int openWithClient = admin.getServerInfo(GetServerInfoRequest.getDefaultInstance())
                        .getAdminStreamsOpen();

                network.cut();
                assertThat(events.ended(WAIT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(statistics.ended(WAIT).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                // The server notices and frees both streams' places.
                Await.until(() -> admin.getServerInfo(GetServerInfoRequest.getDefaultInstance())
                        .getAdminStreamsOpen() == openWithClient - 2, WAIT);
                // Things happen while the client is away.
                admin.applyBatchingParameters(ApplyBatchingParametersRequest.newBuilder()
                        .setParametersText("max_batch_size { value: 7 }").build());
                admin.applyBatchingParameters(ApplyBatchingParametersRequest.newBuilder()
                        .setParametersText(batching).build());

                network.restore();
                StreamRecorder<StreamEventsRequest, EventUpdate> resumed = StreamRecorder.reading();
                adminAsync(remote, MONITOR_TOKEN).withWaitForReady().streamEvents(StreamEventsRequest.newBuilder()
                        .setAfterSequence(lastSeen).setInstanceId(instance).build(), resumed);
                ServerEvent missedFirst = nextEvent(resumed);
                ServerEvent missedSecond = nextEvent(resumed);
                StreamRecorder<StreamStatisticsRequest, StatisticsUpdate> statisticsAgain = StreamRecorder.reading();
                adminAsync(remote, MONITOR_TOKEN).streamStatistics(StreamStatisticsRequest.getDefaultInstance(),
                        statisticsAgain);
                StatisticsUpdate afterReconnect = statisticsAgain.next(WAIT);

                // Nothing lost: the events resume right after the last one seen, in order.
                assertThat(missedFirst.getSequence()).isEqualTo(lastSeen + 1);
                assertThat(missedFirst.getKind()).isEqualTo(ServerEvent.Kind.BATCHING_CHANGED);
                assertThat(missedFirst.getMessage()).contains("value: 7");
                assertThat(missedSecond.getSequence()).isEqualTo(lastSeen + 2);
                assertThat(afterReconnect.getSequence()).isPositive();
                resumed.cancel();
                statisticsAgain.cancel();
            } finally {
                remote.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aPredictTokenCannotOpenAStream() throws Exception {
        StreamRecorder<StreamEventsRequest, EventUpdate> stream = StreamRecorder.reading();
        adminAsync(channel, PREDICT_TOKEN).streamEvents(StreamEventsRequest.getDefaultInstance(), stream);
        assertThat(stream.ended(WAIT).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        StreamRecorder<StreamEventsRequest, EventUpdate> anonymous = StreamRecorder.reading();
        adminAsync(channel, null).streamEvents(StreamEventsRequest.getDefaultInstance(), anonymous);
        assertThat(anonymous.ended(WAIT).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    /** The next event, skipping heartbeats. */
    private static ServerEvent nextEvent(StreamRecorder<StreamEventsRequest, EventUpdate> stream)
            throws InterruptedException {
        while (true) {
            EventUpdate update = stream.next(WAIT);
            if (update.hasEvent()) {
                return update.getEvent();
            }
        }
    }
}
