package dev.servedeck.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableId;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.status.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServerEventLogTest {

    private static final Instant T = Instant.parse("2026-12-06T03:00:00Z");

    private final ServerEventLog log = new ServerEventLog(3, Clock.fixed(T, ZoneOffset.UTC));

    @Test
    void numbersEveryKindOfEventInOneSequence() {
        log.accept(new ServableState(new ServableId("m", 1), ManagerState.LOADING, Status.OK, T));
        log.configRefused(ServingException.invalidArgument("bad config"));
        log.batchingChanged(BatchingOptions.defaults());

        List<ServerEvent> events = new ArrayList<>();
        log.subscribe(0, lost -> { }, events::add);

        assertThat(events).extracting(ServerEvent::sequence).containsExactly(1L, 2L, 3L);
        assertThat(events.get(0).state()).contains(ManagerState.LOADING);
        assertThat(events.get(1).kind()).isEqualTo(ServerEvent.Kind.CONFIG_REFUSED);
        assertThat(events.get(1).status()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(events.get(2).message()).contains("max_batch_size");
    }

    @Test
    void aResumingSubscriberGetsWhatItMissedThenLiveEvents() {
        batchingChanges(2);
        List<ServerEvent> events = new ArrayList<>();
        AtomicLong lost = new AtomicLong();
        log.subscribe(1, lost::addAndGet, events::add);
        batchingChanges(1);

        assertThat(lost).hasValue(0);
        assertThat(events).extracting(ServerEvent::sequence).containsExactly(2L, 3L);
    }

    @Test
    void aResumeBeyondWhatIsHeldCountsTheLostEvents() {
        batchingChanges(6); // holds 4, 5, 6
        List<ServerEvent> events = new ArrayList<>();
        AtomicLong lost = new AtomicLong();
        log.subscribe(1, lost::addAndGet, events::add);

        assertThat(lost).hasValue(2); // 2 and 3 are gone
        assertThat(events).extracting(ServerEvent::sequence).containsExactly(4L, 5L, 6L);
    }

    @Test
    void aSequenceFromTheFutureIsAnotherServersAndStartsFromWhatIsHeld() {
        batchingChanges(2);
        List<ServerEvent> events = new ArrayList<>();
        log.subscribe(99, lost -> { }, events::add);

        assertThat(events).extracting(ServerEvent::sequence).containsExactly(1L, 2L);
    }

    private void batchingChanges(int count) {
        for (int i = 0; i < count; i++) {
            log.batchingChanged(BatchingOptions.defaults());
        }
    }
}
