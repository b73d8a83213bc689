package dev.servedeck.console.shell;

import dev.servedeck.console.backend.ServerStatus;
import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.ui.StyleClasses;
import java.util.List;
import javafx.scene.control.Labeled;

/** Colours a label by the meaning of a state: serving (green), busy (amber), failed (red), idle (grey). */
public final class StateStyles {

    private static final List<String> ALL = List.of(StyleClasses.STATE_OK, StyleClasses.STATE_BUSY,
            StyleClasses.STATE_ERROR, StyleClasses.STATE_IDLE);

    private StateStyles() {
    }

    public static void apply(Labeled label, ServerStatus.State state) {
        set(label, switch (state) {
            case RUNNING -> StyleClasses.STATE_OK;
            case STARTING, STOPPING, CONNECTING -> StyleClasses.STATE_BUSY;
            case FAILED, UNREACHABLE -> StyleClasses.STATE_ERROR;
            case STOPPED -> StyleClasses.STATE_IDLE;
        });
    }

    public static void apply(Labeled label, ManagerState state, boolean failed) {
        set(label, failed ? StyleClasses.STATE_ERROR : switch (state) {
            case AVAILABLE -> StyleClasses.STATE_OK;
            case START, LOADING, UNLOADING -> StyleClasses.STATE_BUSY;
            case END -> StyleClasses.STATE_IDLE;
        });
    }

    public static String serverStateText(ServerStatus.State state) {
        return switch (state) {
            case STOPPED -> "Stopped";
            case STARTING -> "Starting…";
            case RUNNING -> "Running";
            case STOPPING -> "Stopping…";
            case FAILED -> "Failed";
            case CONNECTING -> "Connecting…";
            case UNREACHABLE -> "Unreachable";
        };
    }

    private static void set(Labeled label, String styleClass) {
        label.getStyleClass().removeAll(ALL);
        label.getStyleClass().add(styleClass);
    }
}
