package dev.servedeck.core.security;

import dev.servedeck.core.status.ServingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code --auth_tokens_file}: one token a line, {@code TOKEN SCOPE[,SCOPE]}, blank lines and {@code #}
 * comments allowed (a comment may also follow the scopes). Every problem is an INVALID_ARGUMENT that names the
 * file and the line, never the token: error messages end up in logs.
 */
final class TokenFile {

    /**
     * RFC 6750's b64token, the characters a bearer token may have in an Authorization header, so every token
     * in the file can be sent as written.
     */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    /** A guessable token protects nothing: 16 characters at least ({@code openssl rand -hex 32} gives 64). */
    static final int MIN_TOKEN_LENGTH = 16;
    /** A token file is a few lines; anything this large is the wrong file. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private TokenFile() {
    }

    /** Reads and parses {@code file}. */
    static TokenTable read(Path file) {
        return parse(readText(file), file.toString());
    }

    static String readText(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw invalid(file.toString(), "is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ServingException.invalidArgument("Cannot read the token file " + file + ": " + e);
        }
    }

    /** Parses token file text; {@code origin} names it in error messages. */
    static TokenTable parse(String text, String origin) {
        TokenTable.Builder tokens = TokenTable.builder();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "line " + (i + 1);
            String[] fields = withoutComment(line.split("\\s+"));
            if (fields.length != 2) {
                throw invalid(origin, where + " should be TOKEN SCOPE[,SCOPE] (found " + fields.length
                        + " fields)");
            }
            String token = fields[0];
            if (!TOKEN.matcher(token).matches()) {
                throw invalid(origin, where + ": the token has characters a bearer token cannot have (letters, "
                        + "digits and - . _ ~ + / with trailing = only)");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw invalid(origin, where + ": the token has " + token.length() + " characters, fewer than "
                        + MIN_TOKEN_LENGTH + " (generate one with: openssl rand -hex 32)");
            }
            if (tokens.contains(token)) {
                throw invalid(origin, where + " repeats the token of an earlier line (give a token all its scopes "
                        + "on one line)");
            }
            tokens.add(token, scopes(fields[1], origin, where));
        }
        TokenTable table = tokens.build();
        if (table.size() == 0) {
            throw invalid(origin, "holds no token");
        }
        return table;
    }

    /** The fields before a {@code #} field (a comment after the scopes). */
    private static String[] withoutComment(String[] fields) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].startsWith("#")) {
                String[] kept = new String[i];
                System.arraycopy(fields, 0, kept, 0, i);
                return kept;
            }
        }
        return fields;
    }

    private static Set<Scope> scopes(String list, String origin, String where) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : list.split(",", -1)) {
            Scope scope = Scope.ofFileName(name).orElseThrow(() -> invalid(origin, where + ": unknown scope "
                    + quotedIfNoToken(name) + " (scopes: " + scopeNames() + ")"));
            scopes.add(scope);
        }
        return scopes;
    }

    /**
     * A misspelt scope is worth quoting; but fields swapped by mistake would put the token here, and a token
     * must not reach the log. Shorter than any token, it cannot be one.
     */
    private static String quotedIfNoToken(String name) {
        return name.length() < MIN_TOKEN_LENGTH ? "'" + name + "'" : "(not quoted: as long as a token)";
    }

    private static String scopeNames() {
        StringBuilder names = new StringBuilder();
        for (Scope scope : Scope.values()) {
            names.append(names.length() == 0 ? "" : ", ").append(scope.fileName());
        }
        return names.toString();
    }

    private static ServingException invalid(String origin, String problem) {
        return ServingException.invalidArgument("Invalid token file " + origin + ": " + problem);
    }
}
