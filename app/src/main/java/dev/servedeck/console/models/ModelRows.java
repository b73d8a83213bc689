package dev.servedeck.console.models;

import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.PolicyText;
import dev.servedeck.console.backend.VersionEntry;
import dev.servedeck.core.servable.ManagerState;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** Turns the server's model entries into the rows the models tree shows: states, labels and errors in words. */
final class ModelRows {

    private final DateTimeFormatter sinceFormat;

    /** @param zone the time zone "since" times are shown in */
    ModelRows(ZoneId zone) {
        this.sinceFormat = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
    }

    List<ModelRow> of(List<ModelEntry> entries) {
        return entries.stream().map(this::modelRow).toList();
    }

    private ModelRow modelRow(ModelEntry entry) {
        List<ModelRow> versions = entry.versions().stream().map(v -> versionRow(entry, v)).toList();
        long available = count(entry, ManagerState.AVAILABLE);
        long moving = entry.versions().stream().filter(v -> v.state() == ManagerState.START
                || v.state() == ManagerState.LOADING || v.state() == ManagerState.UNLOADING).count();
        long failedCount = entry.versions().stream().filter(VersionEntry::failed).count();
        List<String> parts = new ArrayList<>();
        if (entry.versions().isEmpty()) {
            parts.add("no version found");
        } else {
            parts.add(available + " available");
        }
        if (moving > 0) {
            parts.add(moving + " changing");
        }
        if (failedCount > 0) {
            parts.add(failedCount + " failed");
        }
        ManagerState tone = available > 0 ? ManagerState.AVAILABLE : moving > 0 ? ManagerState.LOADING : ManagerState.END;
        boolean failed = available == 0 && moving == 0 && (failedCount > 0 || entry.versions().isEmpty());
        String labels = entry.labels().entrySet().stream().map(label -> label.getKey() + " → " + label.getValue())
                .collect(Collectors.joining(", "));
        String details = entry.versions().isEmpty()
                ? "No numbered version folder under the base path" : "";
        return new ModelRow(entry.name(), OptionalLong.empty(), entry.name(), String.join(", ", parts), tone, failed,
                labels, PolicyText.of(entry.policy()), entry.basePath().toString(), "", details, versions);
    }

    private ModelRow versionRow(ModelEntry entry, VersionEntry versionEntry) {
        String labels = entry.labels().entrySet().stream().filter(label -> label.getValue() == versionEntry.version())
                .map(Map.Entry::getKey).collect(Collectors.joining(", "));
        return new ModelRow(entry.name(), OptionalLong.of(versionEntry.version()), "version " + versionEntry.version(),
                stateText(versionEntry), versionEntry.state(), versionEntry.failed(), labels, "", "",
                sinceFormat.format(versionEntry.since()),
                versionEntry.failed() ? versionEntry.error() : versionEntry.note(), List.of());
    }

    /** TF Serving's state name, with what END means in words. */
    static String stateText(VersionEntry version) {
        if (version.failed()) {
            return version.state() == ManagerState.END ? "END (failed to load)" : version.state() + " (failed)";
        }
        return switch (version.state()) {
            case START -> "START (waiting to load)";
            case END -> "END (unloaded)";
            default -> version.state().name();
        };
    }

    private static long count(ModelEntry entry, ManagerState state) {
        return entry.versions().stream().filter(v -> v.state() == state).count();
    }
}
