package dev.servedeck.console.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reconnect waits: 0.5 s doubling to 10 s, a fifth of jitter either way, from the start again after a success. */
class BackoffTest {

    @Test
    void doublesUpToTenSecondsAndStartsAgainAfterASuccess() {
        Backoff backoff = new Backoff(() -> 0.5); // no jitter
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waits.add(backoff.next());
        }
        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void jitterShiftsEachWaitByAtMostAFifth() {
        assertThat(new Backoff(() -> 0.0).next()).isEqualTo(Duration.ofMillis(400));
        assertThat(new Backoff(() -> 0.999_999).next()).isBetween(Duration.ofMillis(599), Duration.ofMillis(600));
    }
}
