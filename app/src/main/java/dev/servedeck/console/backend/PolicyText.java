package dev.servedeck.console.backend;

import dev.servedeck.core.source.ServableVersionPolicy;
import java.util.stream.Collectors;

/** A version policy in the words of TF Serving's config: {@code latest 2}, {@code all}, {@code specific 1, 3}. */
public final class PolicyText {

    private PolicyText() {
    }

    public static String of(ServableVersionPolicy policy) {
        if (policy instanceof ServableVersionPolicy.Latest latest) {
            return "latest " + latest.numVersions();
        }
        if (policy instanceof ServableVersionPolicy.All) {
            return "all";
        }
        ServableVersionPolicy.Specific specific = (ServableVersionPolicy.Specific) policy;
        return "specific " + specific.versions().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
