package dev.servedeck.core.grpc.admin;

import dev.servedeck.core.events.ServerEvent;
import dev.servedeck.core.requestlog.RequestLogEntry;
import dev.servedeck.proto.admin.v1.Dropped;
import dev.servedeck.proto.admin.v1.EventUpdate;
import dev.servedeck.proto.admin.v1.Heartbeat;
import dev.servedeck.proto.admin.v1.RequestLogUpdate;
import java.time.Instant;

/** Server events and request log entries as messages of the admin API's event and log streams. */
final class StreamMessages {

    private StreamMessages() {
    }

    static EventUpdate event(ServerEvent event, String instanceId) {
        dev.servedeck.proto.admin.v1.ServerEvent.Builder message = dev.servedeck.proto.admin.v1.ServerEvent.newBuilder()
                .setSequence(event.sequence())
                .setTime(Timestamps.of(event.time()))
                .setKind(kind(event.kind()))
                .setModel(event.model())
                .setVersion(event.version())
                .setStatusCode(event.status().name())
                .setMessage(event.message())
                .setInstanceId(instanceId);
        event.state().ifPresent(state -> message.setState(ModelMessages.state(state)));
        return EventUpdate.newBuilder().setEvent(message).build();
    }

    private static dev.servedeck.proto.admin.v1.ServerEvent.Kind kind(ServerEvent.Kind kind) {
        return switch (kind) {
            case VERSION_STATE -> dev.servedeck.proto.admin.v1.ServerEvent.Kind.VERSION_STATE;
            case CONFIG_APPLIED -> dev.servedeck.proto.admin.v1.ServerEvent.Kind.CONFIG_APPLIED;
            case CONFIG_REFUSED -> dev.servedeck.proto.admin.v1.ServerEvent.Kind.CONFIG_REFUSED;
            case BATCHING_CHANGED -> dev.servedeck.proto.admin.v1.ServerEvent.Kind.BATCHING_CHANGED;
        };
    }

    static EventUpdate eventsDropped(long count) {
        return EventUpdate.newBuilder().setDropped(Dropped.newBuilder().setCount(count)).build();
    }

    static EventUpdate eventsHeartbeat(long lastSequence) {
        return EventUpdate.newBuilder().setHeartbeat(heartbeat(lastSequence)).build();
    }

    static RequestLogUpdate logEntry(RequestLogEntry entry) {
        return RequestLogUpdate.newBuilder().setEntry(dev.servedeck.proto.admin.v1.RequestLogEntry.newBuilder()
                .setTime(Timestamps.of(entry.time()))
                .setModel(entry.model())
                .setVersion(entry.version().orElse(0))
                .setSignature(entry.signature())
                .setApi(entry.api())
                .setEntrypoint(entry.entrypoint())
                .setStatusCode(entry.status().name())
                .setLatencyMicros(entry.latencyMicros())
                .setRequestBytes(entry.requestBytes())
                .setResponseBytes(entry.responseBytes()))
                .build();
    }

    static RequestLogUpdate logDropped(long count) {
        return RequestLogUpdate.newBuilder().setDropped(Dropped.newBuilder().setCount(count)).build();
    }

    static RequestLogUpdate logHeartbeat() {
        return RequestLogUpdate.newBuilder().setHeartbeat(heartbeat(0)).build();
    }

    private static Heartbeat heartbeat(long lastSequence) {
        return Heartbeat.newBuilder().setTime(Timestamps.of(Instant.now())).setLastSequence(lastSequence).build();
    }
}
