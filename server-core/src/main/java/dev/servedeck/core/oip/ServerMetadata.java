package dev.servedeck.core.oip;

import java.util.List;

/** The server's name, version and the protocol extensions it serves. */
public record ServerMetadata(String name, String version, List<String> extensions) {
}
