package dev.servedeck.console.shell;

import dev.servedeck.ui.Fxml;
import dev.servedeck.ui.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/**
 * Loads FXML views with their controllers made by the composition root (constructor injection: a view
 * gets its ViewModel, never looks it up).
 */
public final class ViewLoader {

    private final Map<Class<?>, Supplier<?>> controllers;

    public ViewLoader(Map<Class<?>, Supplier<?>> controllers) {
        this.controllers = Map.copyOf(controllers);
    }

    /** A loaded view: its root node and its controller. */
    public record Loaded<C>(Parent root, C controller) {
    }

    public <C> Loaded<C> load(Fxml view) {
        FXMLLoader loader = new FXMLLoader(view.url(), Messages.bundle());
        loader.setControllerFactory(type -> {
            Supplier<?> supplier = controllers.get(type);
            if (supplier == null) {
                throw new IllegalStateException("No controller registered for " + type.getName());
            }
            return supplier.get();
        });
        try {
            Parent root = loader.load();
            return new Loaded<>(root, loader.getController());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load " + view.fileName(), e);
        }
    }
}
