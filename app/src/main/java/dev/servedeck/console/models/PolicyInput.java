package dev.servedeck.console.models;

import dev.servedeck.core.source.ServableVersionPolicy;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads what an operator typed for a version policy or a version (a count for latest, {@code 1, 3} for
 * specific versions) and says in words what is wrong. Pure functions, so the rules are tested without a UI.
 */
final class PolicyInput {

    /** The largest count or version we accept: version folders are numbers of up to 18 digits. */
    private static final String NUMBER = "\\d{1,18}";

    private PolicyInput() {
    }

    /** A policy, or the reason there is none. */
    record Parsed<T>(Optional<T> value, String error) {

        static <T> Parsed<T> of(T value) {
            return new Parsed<>(Optional.of(value), "");
        }

        static <T> Parsed<T> problem(String error) {
            return new Parsed<>(Optional.empty(), error);
        }

        boolean ok() {
            return value.isPresent();
        }
    }

    static Parsed<ServableVersionPolicy> policy(PolicyKind kind, String text) {
        String value = text == null ? "" : text.trim();
        if (kind == null) {
            return Parsed.problem("Choose a version policy");
        }
        switch (kind) {
            case ALL:
                return Parsed.of(new ServableVersionPolicy.All());
            case LATEST:
                if (!value.matches(NUMBER) || Long.parseLong(value) < 1 || Long.parseLong(value) > Integer.MAX_VALUE) {
                    return Parsed.problem("Latest needs how many versions to serve: a whole number, 1 or more"
                            + (value.isEmpty() ? "" : ", not '" + value + "'"));
                }
                return Parsed.of(new ServableVersionPolicy.Latest(Integer.parseInt(value)));
            case SPECIFIC:
            default:
                if (value.isEmpty()) {
                    return Parsed.problem("Specific needs the versions to serve, separated by commas, e.g. 1, 3");
                }
                SortedSet<Long> versions = new TreeSet<>();
                for (String part : value.split("[,;\\s]+")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    if (!part.matches(NUMBER)) {
                        return Parsed.problem("'" + part + "' is not a version number: specific versions are whole"
                                + " numbers separated by commas, e.g. 1, 3");
                    }
                    versions.add(Long.parseLong(part));
                }
                if (versions.isEmpty()) {
                    return Parsed.problem("Specific needs the versions to serve, separated by commas, e.g. 1, 3");
                }
                return Parsed.of(new ServableVersionPolicy.Specific(versions));
        }
    }

    /** A version number (what names the version's folder under the base path). */
    static Parsed<Long> version(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            return Parsed.problem("Enter a version number (the name of its folder under the base path)");
        }
        if (!value.matches(NUMBER)) {
            return Parsed.problem("A version is a whole number such as 2, not '" + value + "'");
        }
        return Parsed.of(Long.parseLong(value));
    }

    static PolicyKind kindOf(ServableVersionPolicy policy) {
        if (policy instanceof ServableVersionPolicy.Latest) {
            return PolicyKind.LATEST;
        }
        return policy instanceof ServableVersionPolicy.All ? PolicyKind.ALL : PolicyKind.SPECIFIC;
    }

    /** The text the policy field shows for a policy: the count, nothing, or the version list. */
    static String valueOf(ServableVersionPolicy policy) {
        if (policy instanceof ServableVersionPolicy.Latest latest) {
            return Integer.toString(latest.numVersions());
        }
        if (policy instanceof ServableVersionPolicy.Specific specific) {
            return specific.versions().stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        return "";
    }
}
