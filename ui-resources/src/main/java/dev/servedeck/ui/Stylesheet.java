package dev.servedeck.ui;

import java.net.URL;
import java.util.Objects;

/** The console's own CSS, layered over the AtlantaFX theme and written against its colour tokens. */
public enum Stylesheet {
    CONSOLE("console.css");

    private final String fileName;

    Stylesheet(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /** The URL in the form {@code Scene.getStylesheets()} takes. */
    public String externalForm() {
        URL url = Objects.requireNonNull(Stylesheet.class.getResource("css/" + fileName), () -> "missing CSS " + fileName);
        return url.toExternalForm();
    }
}
