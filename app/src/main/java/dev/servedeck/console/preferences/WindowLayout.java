package dev.servedeck.console.preferences;

/** Where the main window was and how big, in screen coordinates. */
public record WindowLayout(double x, double y, double width, double height, boolean maximized) {
}
