package dev.servedeck.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import java.lang.reflect.Field;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The token file format: what parses, what is refused and how, and that no message ever quotes a token. */
class TokenFileTest {

    private static final String PREDICTOR = "9f86d081884c7d659a2feaa0c55ad015";
    private static final String ADMIN = "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3";
    private static final String SCRAPER = "Zm9vYmFyYmF6cXV4LV8uficrLw==";

    @Test
    void readsTokensWithTheirScopesAmongCommentsAndBlankLines() {
        TokenTable table = TokenFile.parse("""
                # ServeDeck tokens
                %s predict

                \t%s   admin,predict   # the deploy job
                %s metrics\r
                """.formatted(PREDICTOR, ADMIN, SCRAPER), "tokens.txt");

        assertThat(table.size()).isEqualTo(3);
        assertThat(table.scopesOf(PREDICTOR)).containsExactly(Scope.PREDICT);
        assertThat(table.scopesOf(ADMIN)).containsExactlyInAnyOrder(Scope.ADMIN, Scope.PREDICT);
        assertThat(table.scopesOf(SCRAPER)).containsExactly(Scope.METRICS);
    }

    @Test
    void aTokenMatchesOnlyWhole() {
        TokenTable table = TokenFile.parse(PREDICTOR + " predict\n", "tokens.txt");

        assertThat(table.scopesOf(PREDICTOR)).isNotEmpty();
        assertThat(table.scopesOf(PREDICTOR.substring(0, PREDICTOR.length() - 1))).isEmpty();
        assertThat(table.scopesOf(PREDICTOR + "0")).isEmpty();
        assertThat(table.scopesOf(PREDICTOR.toUpperCase())).isEmpty();
        assertThat(table.scopesOf("")).isEmpty();
    }

    /**
     * The compare is constant-time because what is compared has a fixed length (SHA-256, as four longs) and every
     * word is compared; this checks the table keeps no token text to compare otherwise.
     */
    @Test
    void onlyDigestsOfTheTokensAreKept() throws Exception {
        TokenTable table = TokenFile.parse(PREDICTOR + " predict\n", "tokens.txt");
        Field entries = TokenTable.class.getDeclaredField("entries");
        entries.setAccessible(true);
        Object entry = ((List<?>) entries.get(table)).get(0);
        Field digest = entry.getClass().getDeclaredField("digest");
        digest.setAccessible(true);

        assertThat((long[]) digest.get(entry)).hasSize(4).isEqualTo(TokenTable.words(TokenTable.sha256(PREDICTOR)));
        assertThat(entry.getClass().getDeclaredFields()).extracting(Field::getType)
                .doesNotContain(String.class, char[].class, byte[].class);
    }

    @Test
    void digestsCompareAsMessageDigestIsEqualDoes() {
        byte[] digest = TokenTable.sha256(PREDICTOR);
        for (int i = 0; i < digest.length; i++) {
            byte[] other = digest.clone();
            other[i] ^= 1;
            assertThat(TokenTable.sameDigest(TokenTable.words(digest), TokenTable.words(other)))
                    .as("byte %d differs", i).isEqualTo(MessageDigest.isEqual(digest, other)).isFalse();
        }
        assertThat(TokenTable.sameDigest(TokenTable.words(digest), TokenTable.words(digest.clone()))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "9f86d081884c7d659a2feaa0c55ad015                         | line 1 should be TOKEN SCOPE[,SCOPE] (found 1 fields)",
            "9f86d081884c7d659a2feaa0c55ad015 predict admin           | line 1 should be TOKEN SCOPE[,SCOPE] (found 3 fields)",
            "9f86d081884c7d659a2feaa0c55ad015 predict,                | line 1: unknown scope '' (scopes: predict, admin, metrics, monitor)",
            "9f86d081884c7d659a2feaa0c55ad015 Predict                 | line 1: unknown scope 'Predict'",
            "9f86d081884c7d659a2feaa0c55ad015 watch                   | line 1: unknown scope 'watch'",
            "shorttoken predict                                       | line 1: the token has 10 characters, fewer than 16 (generate one with: openssl rand -hex 32)",
            "9f86d081884c7d65\"9a2feaa0c55ad015 predict               | line 1: the token has characters a bearer token cannot have",
            "9f86d081884c7d65=9a2feaa0c55ad015 predict                | line 1: the token has characters a bearer token cannot have",
    })
    void refusesABrokenLineNamingItWithoutTheToken(String line, String problem) {
        assertThatThrownBy(() -> TokenFile.parse(line.strip() + "\n", "/etc/tokens"))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("Invalid token file /etc/tokens: ").contains(problem)
                            .doesNotContain("9f86d081884c7d65").doesNotContain("shorttoken");
                });
    }

    @Test
    void fieldsSwappedByMistakeDoNotPutTheTokenInTheMessage() {
        assertThatThrownBy(() -> TokenFile.parse("predict " + ADMIN + "\n", "tokens.txt"))
                .hasMessageContaining("line 1").hasMessageNotContaining(ADMIN);
    }

    @Test
    void refusesARepeatedTokenNamingTheLine() {
        assertThatThrownBy(() -> TokenFile.parse(PREDICTOR + " predict\n\n" + PREDICTOR + " admin\n", "tokens.txt"))
                .hasMessage("Invalid token file tokens.txt: line 3 repeats the token of an earlier line (give a "
                        + "token all its scopes on one line)");
    }

    @Test
    void refusesAFileWithoutTokens() {
        assertThatThrownBy(() -> TokenFile.parse("# nobody yet\n\n", "tokens.txt"))
                .hasMessage("Invalid token file tokens.txt: holds no token");
    }

    @Test
    void scopesAreIndependent() {
        TokenTable table = TokenFile.parse(ADMIN + " admin\n", "tokens.txt");

        assertThat(table.scopesOf(ADMIN)).isEqualTo(Set.of(Scope.ADMIN));
    }
}
