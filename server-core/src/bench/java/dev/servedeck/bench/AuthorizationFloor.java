package dev.servedeck.bench;

import dev.servedeck.core.security.ApiOperation;
import dev.servedeck.core.security.Authorizer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one token check costs in process, without a network or a neighbour's load in the way: the
 * {@link Authorizer} both front ends ask, over the same token file as the A/B's "on" server, with the last line's
 * token. The A/B on a shared two-core machine moves by more than the 3 % it judges; this is the cost below the noise
 * (the REST gate's whole check, which routes the request line only for a token without 'predict', measured about
 * the same in a probe).
 */
final class AuthorizationFloor {

    private static final int CALLS_PER_ROUND = 1_000_000;
    private static final int ROUNDS = 7;

    private AuthorizationFloor() {
    }

    /** The fastest round's nanoseconds per check (the JIT warms up in the first rounds). */
    static double nanosPerCheck(Path tokenFile, String token) {
        String header = "Bearer " + token;
        double best = Double.MAX_VALUE;
        int allowed = 0;
        try (Authorizer authorizer = Authorizer.fromTokenFile(tokenFile, Duration.ofHours(1))) {
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < CALLS_PER_ROUND; i++) {
                    if (authorizer.authorize(ApiOperation.PREDICT, header).allowed()) {
                        allowed++;
                    }
                }
                best = Math.min(best, (System.nanoTime() - start) / (double) CALLS_PER_ROUND);
            }
        }
        if (allowed != ROUNDS * CALLS_PER_ROUND) {
            throw new IllegalStateException("The benchmark's token was refused " + (ROUNDS * CALLS_PER_ROUND - allowed)
                    + " times in process");
        }
        return best;
    }
}
