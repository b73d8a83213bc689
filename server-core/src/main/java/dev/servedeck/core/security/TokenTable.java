package dev.servedeck.core.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The tokens of a token file and their scopes, immutable. Only each token's SHA-256 is kept: comparing digests
 * of a fixed length without an early exit takes the same time whatever the presented token shares with a real
 * one (nothing to learn from the first differing byte, and no length), and the tokens themselves are not in
 * memory to end up in a heap dump or a log.
 *
 * <p>The compare is {@link MessageDigest#isEqual}'s, on four longs instead of 32 bytes: every word is XORed and the
 * differences ORed together, with no branch on the data. Each request compares every entry, so on the hot path
 * of a file with a few tokens this is a few nanoseconds instead of a few hundred.
 */
final class TokenTable {

    static final TokenTable EMPTY = new TokenTable(List.of());

    private final List<Entry> entries;

    private TokenTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** How many tokens there are. */
    int size() {
        return entries.size();
    }

    /**
     * The scopes of {@code token}, empty when no token matches. Every entry is compared, whichever matches,
     * so the time taken depends on the number of tokens only.
     */
    Set<Scope> scopesOf(String token) {
        long[] digest = words(sha256(token));
        Set<Scope> found = null;
        for (Entry entry : entries) {
            if (sameDigest(entry.digest, digest)) {
                found = entry.scopes;
            }
        }
        return found == null ? Set.of() : found;
    }

    /** Constant time: all four words are always compared. */
    static boolean sameDigest(long[] a, long[] b) {
        long difference = (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]);
        return difference == 0;
    }

    /** A SHA-256 digest as four longs. */
    static long[] words(byte[] digest) {
        ByteBuffer bytes = ByteBuffer.wrap(digest);
        return new long[] {bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong()};
    }

    static Builder builder() {
        return new Builder();
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private record Entry(long[] digest, Set<Scope> scopes) {
    }

    /** Collects tokens while a file is parsed. */
    static final class Builder {

        private final List<Entry> entries = new ArrayList<>();

        Builder add(String token, Set<Scope> scopes) {
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("a token needs at least one scope");
            }
            entries.add(new Entry(words(sha256(token)), Collections.unmodifiableSet(EnumSet.copyOf(scopes))));
            return this;
        }

        /** Whether {@code token} was added already (plain comparison: this runs on a file, not on a request). */
        boolean contains(String token) {
            long[] digest = words(sha256(token));
            return entries.stream().anyMatch(entry -> sameDigest(entry.digest, digest));
        }

        TokenTable build() {
            return new TokenTable(entries);
        }
    }
}
