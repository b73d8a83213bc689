package dev.servedeck.console.shell;

import dev.servedeck.ui.Fxml;
import javafx.scene.input.KeyCode;

/** The console's pages in navigation order, with the FXML that draws each and its Ctrl+digit shortcut. */
public enum Page {
    SERVER("nav.server", Fxml.SERVER, KeyCode.DIGIT1);

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
