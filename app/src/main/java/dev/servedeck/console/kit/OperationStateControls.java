package dev.servedeck.console.kit;

import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;

/**
 * Shows an {@link OperationState} the same way on every page: the spinner and its words while busy, the notice
 * and the failure only while they have text (an empty label takes no room).
 */
public final class OperationStateControls {

    private OperationStateControls() {
    }

    public static void bind(OperationState operation, ProgressIndicator busy, Label busyText, Label notice,
            Label failure) {
        busy.visibleProperty().bind(operation.busyProperty());
        busy.managedProperty().bind(busy.visibleProperty());
        busyText.textProperty().bind(operation.busyTextProperty());
        showWhenSet(notice);
        notice.textProperty().bind(operation.noticeProperty());
        showWhenSet(failure);
        failure.textProperty().bind(operation.failureProperty());
    }

    private static void showWhenSet(Label label) {
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
    }
}
