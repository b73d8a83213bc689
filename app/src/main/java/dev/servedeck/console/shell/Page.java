package dev.servedeck.console.shell;

import dev.servedeck.ui.Fxml;
import javafx.scene.input.KeyCode;

/** The console's pages in navigation order, with the FXML that draws each and its Ctrl+digit shortcut. */
public enum Page {
    SERVER("nav.server", Fxml.SERVER, KeyCode.DIGIT1),
    MODELS("nav.models", Fxml.MODELS, KeyCode.DIGIT2),
    BATCHING("nav.batching", Fxml.BATCHING, KeyCode.DIGIT3),
    PREDICT("nav.predict", Fxml.PREDICT, KeyCode.DIGIT4),
    MONITOR("nav.monitor", Fxml.MONITOR, KeyCode.DIGIT5),
    LOGS("nav.logs", Fxml.LOGS, KeyCode.DIGIT6),
    CONNECTIONS("nav.connections", Fxml.CONNECTIONS, KeyCode.DIGIT7),
    FLEET("nav.fleet", Fxml.FLEET, KeyCode.DIGIT8);

    private final String titleKey;
    private final Fxml fxml;
    private final KeyCode shortcut;

    Page(String titleKey, Fxml fxml, KeyCode shortcut) {
        this.titleKey = titleKey;
        this.fxml = fxml;
        this.shortcut = shortcut;
    }

    public String titleKey() {
        return titleKey;
    }

    public Fxml fxml() {
        return fxml;
    }

    public KeyCode shortcut() {
        return shortcut;
    }
}
