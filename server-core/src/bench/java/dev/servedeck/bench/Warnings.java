package dev.servedeck.bench;

import java.util.ArrayList;
import java.util.List;

/** Things that make a number untrustworthy (errors under load, a soak cut short): shouted now, listed in the report. */
final class Warnings {

    private final List<String> messages = new ArrayList<>();

    void warn(String message) {
        messages.add(message);
        System.out.println();
        System.out.println("!".repeat(100));
        System.out.println("!!! WARNING: " + message);
        System.out.println("!".repeat(100));
        System.out.println();
    }

    List<String> all() {
        return List.copyOf(messages);
    }
}
