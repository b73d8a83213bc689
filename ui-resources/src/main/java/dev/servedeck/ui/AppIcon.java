package dev.servedeck.ui;

import java.net.URL;
import java.util.Objects;

/** The application icon at the sizes window managers ask for (also used by the installers). */
public enum AppIcon {
    SIZE_32("servedeck-32.png"),
    SIZE_64("servedeck-64.png"),
    SIZE_256("servedeck-256.png");

    private final String fileName;

    AppIcon(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    public URL url() {
        return Objects.requireNonNull(AppIcon.class.getResource("icons/" + fileName), () -> "missing icon " + fileName);
    }
}
