package dev.servedeck.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every constant names a resource that is there, and every %key an FXML file uses has a text. */
class ResourcesTest {

    private static final Pattern MESSAGE_KEY = Pattern.compile("\"%([A-Za-z0-9_.]+)\"");

    @Test
    void everyFxmlExistsAndItsTextsAreInTheBundle() throws IOException {
        ResourceBundle bundle = Messages.bundle();
        for (Fxml view : Fxml.values()) {
            try (InputStream in = view.url().openStream()) {
                String fxml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Matcher keys = MESSAGE_KEY.matcher(fxml);
                while (keys.find()) {
                    assertThat(bundle.containsKey(keys.group(1)))
                            .as("%s uses %%%s", view.fileName(), keys.group(1)).isTrue();
                }
            }
        }
    }

    @Test
    void iconsAreNonEmptyPngs() throws IOException {
        for (AppIcon icon : AppIcon.values()) {
            try (InputStream in = icon.url().openStream()) {
                byte[] header = in.readNBytes(8);
                assertThat(header).as(icon.fileName()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            }
        }
    }

    @Test
    void stylesheetsExist() {
        for (Stylesheet sheet : Stylesheet.values()) {
            assertThat(sheet.externalForm()).endsWith(sheet.fileName());
        }
    }
}
