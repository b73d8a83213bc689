package dev.servedeck.console.preferences;

import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console remembers between runs (window layout, theme, page, server settings), in the user's
 * preferences store: {@code ~/.java/.userPrefs/dev/servedeck/console} on Linux, the registry on Windows,
 * a plist on macOS. Tests pass their own node.
 */
public final class ConsolePreferences {

    private static final Logger LOG = LoggerFactory.getLogger(ConsolePreferences.class);
    public static final String NODE = "/dev/servedeck/console";

    private final Preferences node;

    public ConsolePreferences(Preferences node) {
        this.node = node;
    }

    public static ConsolePreferences userDefault() {
        return new ConsolePreferences(Preferences.userRoot().node(NODE));
    }

    public Optional<WindowLayout> windowLayout() {
        double width = node.getDouble("window.width", -1);
        double height = node.getDouble("window.height", -1);
        if (width <= 0 || height <= 0) {
            return Optional.empty();
        }
        return Optional.of(new WindowLayout(node.getDouble("window.x", 0), node.getDouble("window.y", 0), width,
                height, node.getBoolean("window.maximized", false)));
    }

    public void setWindowLayout(WindowLayout layout) {
        node.putDouble("window.x", layout.x());
        node.putDouble("window.y", layout.y());
        node.putDouble("window.width", layout.width());
        node.putDouble("window.height", layout.height());
        node.putBoolean("window.maximized", layout.maximized());
    }

    public boolean darkTheme() {
        return node.getBoolean("theme.dark", false);
    }

    public void setDarkTheme(boolean dark) {
        node.putBoolean("theme.dark", dark);
    }

    public Optional<String> page() {
        return Optional.ofNullable(node.get("page", null));
    }

    public void setPage(String page) {
        node.put("page", page);
    }

    /** Where the remote connections are kept (names, addresses, certificate paths: never tokens or keys). */
    public Preferences connectionsNode() {
        return node.node("connections");
    }

    public String get(String key, String fallback) {
        return node.get(key, fallback);
    }

    public void put(String key, String value) {
        node.put(key, value);
    }

    public int getInt(String key, int fallback) {
        return node.getInt(key, fallback);
    }

    public void putInt(String key, int value) {
        node.putInt(key, value);
    }

    public boolean getBoolean(String key, boolean fallback) {
        return node.getBoolean(key, fallback);
    }

    public void putBoolean(String key, boolean value) {
        node.putBoolean(key, value);
    }

    /** Writes to the backing store now (it would anyway, later); a failure is logged, never fatal. */
    public void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            LOG.warn("Could not save the console's preferences: {}", e.getMessage());
        }
    }
}
