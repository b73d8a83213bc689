package dev.servedeck.console.chooser;

import dev.servedeck.console.backend.ModelEntry;
import dev.servedeck.console.backend.VersionChoice;
import dev.servedeck.console.backend.VersionEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the version chooser: the latest version, a version number or a label, with the words shown
 * for it. The words parse back ({@link #parse}), so an operator may also type a version the list lacks
 * (one still loading, or one that does not exist, to see the server's answer).
 */
public record VersionOption(String text, VersionChoice choice) {

    public static final VersionOption LATEST = new VersionOption("latest", VersionChoice.LATEST);

    private static final String VERSION_PREFIX = "version ";
    private static final String LABEL_PREFIX = "label ";

    public VersionOption {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(choice, "choice");
    }

    public static VersionOption number(long version) {
        return new VersionOption(VERSION_PREFIX + version, new VersionChoice.Number(version));
    }

    public static VersionOption label(String label) {
        return new VersionOption(LABEL_PREFIX + label, new VersionChoice.Label(label));
    }

    /** "latest", then every version number the server knows of, then every label. */
    public static List<VersionOption> of(ModelEntry model) {
        List<VersionOption> options = new ArrayList<>();
        options.add(LATEST);
        for (VersionEntry version : model.versions()) {
            options.add(number(version.version()));
        }
        for (String label : model.labels().keySet()) {
            options.add(label(label));
        }
        return options;
    }

    /**
     * Reads what an operator typed: empty or {@code latest}; {@code 3} or {@code version 3}; {@code stable}
     * or {@code label stable}.
     */
    public static VersionOption parse(String typed) {
        String text = typed == null ? "" : typed.strip();
        if (text.isEmpty() || text.toLowerCase(Locale.ROOT).equals(LATEST.text())) {
            return LATEST;
        }
        if (text.toLowerCase(Locale.ROOT).startsWith(LABEL_PREFIX)) {
            return label(text.substring(LABEL_PREFIX.length()).strip());
        }
        String number = text.toLowerCase(Locale.ROOT).startsWith(VERSION_PREFIX)
                ? text.substring(VERSION_PREFIX.length()).strip() : text;
        if (number.matches("[0-9]{1,18}")) {
            return number(Long.parseLong(number));
        }
        return label(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
