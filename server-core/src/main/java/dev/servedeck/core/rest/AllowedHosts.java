package dev.servedeck.core.rest;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host names a request's {@code Host} header may carry ({@code --rest_api_allowed_hosts}), port aside. It
 * defeats DNS rebinding: a web page from {@code evil.example} whose name is made to point at 127.0.0.1 reaches a
 * loopback server from inside the browser, but its requests still say {@code Host: evil.example}.
 */
public final class AllowedHosts {

    /** No check: any Host (and none) is answered, as TF Serving does. */
    public static final AllowedHosts ANY = new AllowedHosts(Set.of());

    /** The names a loopback server is reached by, which no web page can make its own. */
    public static final AllowedHosts LOOPBACK = of(List.of("localhost", "127.0.0.1", "[::1]"));

    private final Set<String> names;

    private AllowedHosts(Set<String> names) {
        this.names = Collections.unmodifiableSet(new LinkedHashSet<>(names)); // in the order given, for messages
    }

    /** Host names or IP literals (IPv6 with or without brackets), case-insensitive; empty means {@link #ANY}. */
    public static AllowedHosts of(Collection<String> hosts) {
        Set<String> names = new LinkedHashSet<>();
        for (String host : hosts) {
            String name = host.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            names.add(name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name);
        }
        return names.isEmpty() ? ANY : new AllowedHosts(names);
    }

    /** From the flag's text, {@code HOST[,HOST]}. */
    public static AllowedHosts parse(String text) {
        return of(List.of(text.split(",")));
    }

    public boolean allowsAny() {
        return names.isEmpty();
    }

    /** The allowed names, IPv6 literals in brackets. */
    public Set<String> names() {
        return names;
    }

    /** Whether a request with this {@code Host} header (null: none) is answered. */
    boolean permits(String hostHeader) {
        if (names.isEmpty()) {
            return true;
        }
        return hostHeader != null && names.contains(hostName(hostHeader.strip().toLowerCase(Locale.ROOT)));
    }

    /** {@code name[:port]} or {@code [v6][:port]} without the port. */
    private static String hostName(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AllowedHosts hosts && hosts.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return names.isEmpty() ? "any" : String.join(",", names);
    }
}
