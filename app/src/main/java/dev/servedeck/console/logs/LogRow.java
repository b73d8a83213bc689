package dev.servedeck.console.logs;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** A line of the Logs page, ready to show: its cells are formatted once, when it arrives, off the FX thread. */
public interface LogRow {

    /** Local wall-clock time with milliseconds: what an operator compares with other logs. */
    DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** The row as tab-separated text, in column order (what Ctrl+C copies). */
    String asText();

    /** Whether any column contains {@code needle} (already lower-case; empty matches every row). */
    boolean matches(String needle);
}
