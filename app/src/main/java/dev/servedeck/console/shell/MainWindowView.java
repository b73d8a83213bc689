package dev.servedeck.console.shell;

import dev.servedeck.console.preferences.ConsolePreferences;
import dev.servedeck.console.server.ServerViewModel;
import dev.servedeck.ui.Messages;
import dev.servedeck.ui.StyleClasses;
import java.util.EnumMap;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The main window: a navigation bar with one button per {@link Page} (Ctrl+1..), the page area, and a
 * status bar with the server's state, endpoints and heap. Pages are loaded on first visit and kept.
 */
public final class MainWindowView {

    private final Supplier<ViewLoader> loader;
    private final ServerViewModel server;
    private final ConsolePreferences preferences;
    private final Consumer<Boolean> themeSwitch;
    private final Map<Page, Parent> loadedPages = new EnumMap<>(Page.class);
    private final Map<Page, ToggleButton> buttons = new EnumMap<>(Page.class);
    private final ToggleGroup group = new ToggleGroup();

    @FXML private BorderPane root;
    @FXML private VBox navigation;
    @FXML private StackPane content;
    @FXML private CheckBox darkTheme;
    @FXML private Label serverState;
    @FXML private Label backendNotice;
    @FXML private Label endpoints;
    @FXML private Label heap;

    public MainWindowView(Supplier<ViewLoader> loader, ServerViewModel server, ConsolePreferences preferences,
            Consumer<Boolean> themeSwitch) {
        this.loader = loader;
        this.server = server;
        this.preferences = preferences;
        this.themeSwitch = themeSwitch;
    }

    @FXML
    private void initialize() {
        ResourceBundle texts = Messages.bundle();
        for (Page page : Page.values()) {
            ToggleButton button = new ToggleButton(texts.getString(page.titleKey()));
            button.setId("nav-" + page.name().toLowerCase());
            button.getStyleClass().add(StyleClasses.NAV_BUTTON);
            button.setToggleGroup(group);
            button.setMaxWidth(Double.MAX_VALUE);
            button.setTooltip(new Tooltip(texts.getString(page.titleKey()) + " (Ctrl+" + (page.ordinal() + 1) + ")"));
            button.setOnAction(event -> show(page));
            buttons.put(page, button);
            navigation.getChildren().add(button);
        }
        // A selected toggle stays selected when clicked again: the page area never goes blank.
        group.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null && old != null) {
                old.setSelected(true);
            }
        });
        darkTheme.setSelected(preferences.darkTheme());
        darkTheme.selectedProperty().addListener((obs, old, dark) -> {
            themeSwitch.accept(dark);
            preferences.setDarkTheme(dark);
        });

        // Name, state and notice follow the server managed now: the console may switch servers while it runs.
        serverState.textProperty().bind(Bindings.createStringBinding(
                () -> server.serverName() + ": " + StateStyles.serverStateText(server.stateProperty().get()),
                server.stateProperty(), server.capabilitiesProperty()));
        // A server the console manages from afar (a remote one) says what that means above every page.
        backendNotice.textProperty().bind(Bindings.createStringBinding(server::backendNotice,
                server.capabilitiesProperty()));
        backendNotice.visibleProperty().bind(backendNotice.textProperty().isNotEmpty());
        backendNotice.managedProperty().bind(backendNotice.visibleProperty());
        server.stateProperty().addListener((obs, old, now) -> {
            StateStyles.apply(serverState, now);
            endpoints.setText(server.endpointsSummary());
        });
        StateStyles.apply(serverState, server.stateProperty().get());
        heap.textProperty().bind(Bindings.concat("Heap ", server.heapProperty()));

        Page first = preferences.page().flatMap(MainWindowView::pageNamed).orElse(Page.SERVER);
        show(first);
    }

    private static java.util.Optional<Page> pageNamed(String name) {
        try {
            return java.util.Optional.of(Page.valueOf(name));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** Shows a page, loading it on first use. */
    public void show(Page page) {
        Parent view = loadedPages.computeIfAbsent(page, p -> loader.get().load(p.fxml()).root());
        content.getChildren().setAll(view);
        buttons.get(page).setSelected(true);
        preferences.setPage(page.name());
    }

    /** Keyboard shortcuts: Ctrl+1.. for the pages, Ctrl+T for the theme. Called once the scene exists. */
    public void installShortcuts(Scene scene) {
        for (Page page : Page.values()) {
            scene.getAccelerators().put(new KeyCodeCombination(page.shortcut(), KeyCombination.SHORTCUT_DOWN),
                    () -> show(page));
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN),
                () -> darkTheme.setSelected(!darkTheme.isSelected()));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), server::start);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), server::restart);
    }

    /** Called every second by the shell's ticker (on the FX thread). */
    public void tick() {
        server.refresh();
        endpoints.setText(server.endpointsSummary());
    }

    public Parent root() {
        return root;
    }
}
