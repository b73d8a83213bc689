package dev.servedeck.console.monitor;

import dev.servedeck.console.monitor.ChartKind.SeriesRole;
import java.awt.Color;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.scene.control.Labeled;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.text.Font;

/**
 * The colours and font charts are drawn in, read from the running AtlantaFX theme: a hidden probe label
 * styled {@code .sd-monitor-palette} lists the theme's colour tokens as its background fills (see
 * console.css), so the charts follow light and dark themes without a colour written twice.
 */
record ChartPalette(Color background, Color grid, Color axis, Color text, Color mutedText,
        Map<SeriesRole, Color> roles, String fontFamily, float fontSize) {

    /** Primer Light's tokens, used until the probe's CSS is applied. */
    static final ChartPalette LIGHT = new ChartPalette(new Color(0xffffff), new Color(0xd0d7de), new Color(0xd0d7de),
            new Color(0x24292f), new Color(0x57606a), Map.of(SeriesRole.ACCENT, new Color(0x0969da),
                    SeriesRole.SUCCESS, new Color(0x1a7f37), SeriesRole.WARNING, new Color(0x9a6700),
                    SeriesRole.DANGER, new Color(0xcf222e)), Font.getDefault().getFamily(), 14f);

    /** Fills in console.css order: bg-default, border-muted, border-default, fg-default, fg-muted, then the roles. */
    private static final int FILLS = 5 + SeriesRole.values().length;

    static ChartPalette from(Labeled probe) {
        Background background = probe.getBackground();
        if (background == null || background.getFills().size() < FILLS) {
            return LIGHT;
        }
        List<BackgroundFill> fills = background.getFills();
        Map<SeriesRole, Color> roles = new EnumMap<>(SeriesRole.class);
        for (SeriesRole role : SeriesRole.values()) {
            roles.put(role, awt(fills.get(5 + role.ordinal()), LIGHT.roles().get(role)));
        }
        Font font = probe.getFont();
        return new ChartPalette(awt(fills.get(0), LIGHT.background), awt(fills.get(1), LIGHT.grid),
                awt(fills.get(2), LIGHT.axis), awt(fills.get(3), LIGHT.text), awt(fills.get(4), LIGHT.mutedText),
                roles, font.getFamily(), (float) font.getSize());
    }

    private static Color awt(BackgroundFill fill, Color fallback) {
        if (fill.getFill() instanceof javafx.scene.paint.Color color) {
            return new Color((float) color.getRed(), (float) color.getGreen(), (float) color.getBlue(),
                    (float) color.getOpacity());
        }
        return fallback;
    }

    java.awt.Font font(float scale, boolean bold) {
        return new java.awt.Font(fontFamily, bold ? java.awt.Font.BOLD : java.awt.Font.PLAIN,
                Math.round(fontSize * scale));
    }
}
