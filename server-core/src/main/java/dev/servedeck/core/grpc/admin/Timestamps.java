package dev.servedeck.core.grpc.admin;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Instants as protobuf's well-known Timestamp. */
final class Timestamps {

    private Timestamps() {
    }

    static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
