package dev.servedeck.ui;

import java.net.URL;
import java.util.Objects;

/** The console's FXML views. Each names one file under {@code dev/servedeck/ui/fxml/}. */
public enum Fxml {
    MAIN_WINDOW("main-window.fxml"),
    SERVER("server.fxml"),

    MODELS("models.fxml"),

    BATCHING("batching.fxml"),
    FIND_PARAMETERS("find-parameters.fxml"),

    PREDICT("predict.fxml"),

    MONITOR("monitor.fxml"),

    LOGS("logs.fxml"),
    CONNECTIONS("connections.fxml"),
    FLEET("fleet.fxml");

    private final String fileName;

    Fxml(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /** The file on the class path. */
    public URL url() {
        return Objects.requireNonNull(Fxml.class.getResource("fxml/" + fileName), () -> "missing FXML " + fileName);
    }
}
