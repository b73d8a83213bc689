package dev.servedeck.console.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javafx.event.EventHandler;
import javafx.scene.Node;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;

/**
 * A page's own keyboard shortcuts. The main window shows one page at a time and takes the others out of
 * the scene, so shortcuts attached here work only while their page is shown: two pages may give the same
 * keys different meanings. They are a scene event filter, so they act before the focused control does.
 */
public final class PageShortcuts {

    private record Shortcut(KeyCombination keys, BooleanSupplier enabled, Runnable action) {
    }

    private final List<Shortcut> shortcuts = new ArrayList<>();
    private final EventHandler<KeyEvent> filter = this::onKey;

    public PageShortcuts on(KeyCombination keys, Runnable action) {
        return on(keys, () -> true, action);
    }

    /** A shortcut that lets the key through (to the focused control) while {@code enabled} is false. */
    public PageShortcuts on(KeyCombination keys, BooleanSupplier enabled, Runnable action) {
        shortcuts.add(new Shortcut(keys, enabled, action));
        return this;
    }

    /** Follows {@code page} into and out of scenes. */
    public void attachTo(Node page) {
        page.sceneProperty().addListener((obs, old, now) -> {
            if (old != null) {
                old.removeEventFilter(KeyEvent.KEY_PRESSED, filter);
            }
            if (now != null) {
                now.addEventFilter(KeyEvent.KEY_PRESSED, filter);
            }
        });
        if (page.getScene() != null) {
            page.getScene().addEventFilter(KeyEvent.KEY_PRESSED, filter);
        }
    }

    private void onKey(KeyEvent event) {
        for (Shortcut shortcut : shortcuts) {
            if (shortcut.keys().match(event) && shortcut.enabled().getAsBoolean()) {
                shortcut.action().run();
                event.consume();
                return;
            }
        }
    }
}
