package dev.servedeck.core.main;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servedeck.core.rest.AllowedHosts;
import dev.servedeck.core.security.AuthOptions;
import dev.servedeck.core.server.ModelServerOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --auth_tokens_file, --model_base_path_allowlist and --rest_api_allowed_hosts, parsed in process. */
class SecurityFlagsTest {

    @Test
    void everythingIsOpenByDefaultAsInTfServing() {
        ModelServerOptions options = options("--rest_api_port=8501");

        assertThat(options.auth()).isEqualTo(AuthOptions.none());
        assertThat(options.core().modelBasePathAllowlist().allowsAny()).isTrue();
        assertThat(options.rest().orElseThrow().allowedHosts()).isEqualTo(AllowedHosts.ANY);
    }

    @Test
    void theFlagsReachTheOptions(@TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens");
        ModelServerOptions options = options("--rest_api_port=8501", "--auth_tokens_file=" + tokens,
                "--model_base_path_allowlist=" + dir + "," + dir.resolve("more"),
                "--rest_api_allowed_hosts=localhost,127.0.0.1,::1");

        assertThat(options.auth().tokensFile()).contains(tokens);
        assertThat(options.core().modelBasePathAllowlist().folders())
                .containsExactly(dir.toRealPath(), dir.toRealPath().resolve("more"));
        assertThat(options.rest().orElseThrow().allowedHosts().names())
                .containsExactly("localhost", "127.0.0.1", "[::1]");
    }

    @Test
    void anEmptyTokensFileFlagCountsAsNotGivenAsTfServingsFileFlags() {
        assertThat(options("--auth_tokens_file=").auth().tokensFile()).isEmpty();
    }

    private static ModelServerOptions options(String... args) {
        ServerCommand command = new ServerCommand();
        ServerCommand.commandLine(command).parseArgs(args);
        return command.serverOptions();
    }
}
