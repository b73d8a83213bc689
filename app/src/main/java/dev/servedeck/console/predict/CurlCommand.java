package dev.servedeck.console.predict;

import java.util.regex.Pattern;

/** A request as a {@code curl} command line for a POSIX shell, so an operator can replay it in a terminal. */
final class CurlCommand {

    /** Characters a shell never treats specially in a word: such a URL needs no quotes. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,~-]+");

    private CurlCommand() {
    }

    static String post(String url, String jsonBody) {
        return "curl -s -X POST -H 'Content-Type: application/json' -d " + quote(jsonBody) + " "
                + (SHELL_SAFE.matcher(url).matches() ? url : quote(url));
    }

    /**
     * Single quotes keep everything literal in a shell except a single quote itself, which cannot occur
     * inside them: close the quotes, add an escaped quote, reopen ({@code it's} becomes {@code 'it'\''s'}).
     */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
