package dev.servedeck.core.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import org.junit.jupiter.api.Test;

class InFlightTensorBytesTest {

    private final InFlightTensorBytes inFlight = new InFlightTensorBytes(1000);

    @Test
    void requestsShareTheBoundUntilTheyReleaseTheirBytes() {
        InFlightTensorBytes.Reservation first = inFlight.reserve(600);
        InFlightTensorBytes.Reservation second = inFlight.reserve(400);
        assertThat(inFlight.reserved()).isEqualTo(1000);
        assertThatThrownBy(() -> inFlight.reserve(1)).isInstanceOfSatisfying(ServingException.class,
                e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED))
                .hasMessage("Requests in flight already declare 1000 bytes of tensors; this one's 1 would pass the 1000 "
                        + "the server allows at once (--max_in_flight_tensor_bytes); retry later");
        first.close();
        first.close();
        assertThat(inFlight.reserved()).as("closing twice gives back once").isEqualTo(400);
        inFlight.reserve(600).close();
        second.close();
        assertThat(inFlight.reserved()).isZero();
    }

    @Test
    void emptyRequestsReserveNothingAndHugeOnesNeverOverflow() {
        assertThat(inFlight.reserve(0)).isSameAs(InFlightTensorBytes.NONE);
        try (InFlightTensorBytes.Reservation held = inFlight.reserve(10)) {
            assertThatThrownBy(() -> inFlight.reserve(Long.MAX_VALUE)).isInstanceOf(ServingException.class);
        }
        assertThat(inFlight.reserved()).isZero();
    }
}
