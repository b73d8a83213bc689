package dev.servedeck.console.monitor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A chart already drawn into an image by the view (on the FX thread), ready to be encoded and written to a
 * file off it. Keeps the ViewModel free of imaging types.
 */
@FunctionalInterface
public interface ChartPng {

    void writeTo(Path file) throws IOException;
}
