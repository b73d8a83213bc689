package dev.servedeck.ui;

import java.util.Locale;
import java.util.ResourceBundle;

/** The console's texts ({@code dev/servedeck/ui/i18n/messages*.properties}); FXML refers to them as {@code %key}. */
public final class Messages {

    public static final String BUNDLE = "dev.servedeck.ui.i18n.messages";

    private Messages() {
    }

    public static ResourceBundle bundle() {
        return ResourceBundle.getBundle(BUNDLE, Locale.getDefault());
    }
}
