package dev.servedeck.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelConfigList;
import dev.servedeck.proto.config.ModelServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a base path really leads, against folders on a real file system with real symbolic links. */
class ModelBasePathAllowlistTest {

    @TempDir
    Path root;

    private Path models;
    private Path outside;
    private ModelBasePathAllowlist allowlist;

    @BeforeEach
    void folders() throws Exception {
        models = Files.createDirectories(root.resolve("models"));
        outside = Files.createDirectories(root.resolve("secrets"));
        Files.createDirectories(models.resolve("half_plus_two/1"));
        allowlist = ModelBasePathAllowlist.of(List.of(models));
    }

    @Test
    void basePathsInsideAreAllowed() {
        assertAllowed(models.resolve("half_plus_two"));
        assertAllowed(models.resolve("half_plus_two/1"));
        assertAllowed(models);
        // Not there yet: a model folder copied in later.
        assertAllowed(models.resolve("coming_soon"));
        assertAllowed(models.resolve("coming/soon"));
        // `..` that stays inside is fine: judged by where it leads.
        assertAllowed(models.resolve("half_plus_two/../half_plus_two"));
        assertAllowed(models.resolve("./half_plus_two"));
    }

    @Test
    void basePathsOutsideAreRefused() {
        assertRefused(outside, "");
        assertRefused(root, "");
        assertRefused(Path.of("/"), "");
        // A sibling whose name starts alike is another folder.
        assertRefused(root.resolve("models2/m"), "");
    }

    @Test
    void dotDotThatClimbsOutIsRefused() {
        assertRefused(models.resolve("../secrets"), "(resolved to " + outside + ")");
        assertRefused(models.resolve("half_plus_two/../../secrets"), "(resolved to " + outside + ")");
        assertRefused(models.resolve("half_plus_two/../../secrets/not_yet"), "");
    }

    @Test
    void dotDotAfterAFolderThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> allowlist.check(config(models.resolve("not_yet/../../secrets"))))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("climbs with .. out of a folder that does not exist");
    }

    @Test
    void aLinkThatLeadsOutIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(models.resolve("escape"), outside);
        Files.createDirectories(outside.resolve("model/1"));

        assertRefused(link, "(resolved to " + outside + ")");
        assertRefused(link.resolve("model"), "(resolved to " + outside.resolve("model") + ")");
        assertRefused(link.resolve("not_yet"), "");
    }

    @Test
    void dotDotIsTakenAfterTheLinkAsTheKernelDoes() throws Exception {
        // models/deep -> secrets/a/b: models/deep/../.. is secrets/, although it reads as models/.
        Path deep = Files.createDirectories(outside.resolve("a/b"));
        Path link = Files.createSymbolicLink(models.resolve("deep"), deep);
        Files.createDirectories(outside.resolve("stolen/1"));

        assertRefused(link.resolve("../../stolen"), "(resolved to " + outside.resolve("stolen") + ")");
    }

    @Test
    void aLinkThatStaysInsideIsAllowed() throws Exception {
        assertAllowed(Files.createSymbolicLink(models.resolve("current"), models.resolve("half_plus_two")));
    }

    @Test
    void theAllowedFolderMayItselfBeALink() throws Exception {
        Path linked = Files.createSymbolicLink(root.resolve("models-link"), models);
        ModelBasePathAllowlist viaLink = ModelBasePathAllowlist.of(List.of(linked));

        assertThatCode(() -> viaLink.check(config(models.resolve("half_plus_two")))).doesNotThrowAnyException();
        assertThatCode(() -> viaLink.check(config(linked.resolve("half_plus_two")))).doesNotThrowAnyException();
        assertThat(viaLink.folders()).containsExactly(models.toRealPath());
    }

    @Test
    void aRelativeBasePathIsJudgedFromTheWorkingDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        ModelBasePathAllowlist here = ModelBasePathAllowlist.of(List.of(cwd));

        assertThatCode(() -> here.check(config(Path.of("some/model")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> here.check(config(Path.of("../elsewhere")))).isInstanceOf(ServingException.class);
    }

    @Test
    void parsesTheFlagAndAllowsAnyWithoutIt() throws Exception {
        assertThat(ModelBasePathAllowlist.parse("").allowsAny()).isTrue();
        assertThat(ModelBasePathAllowlist.parse(" , ").allowsAny()).isTrue();
        ModelBasePathAllowlist two = ModelBasePathAllowlist.parse(models + ", " + outside);
        assertThat(two.folders()).containsExactly(models.toRealPath(), outside.toRealPath());
        assertThatCode(() -> ModelBasePathAllowlist.ANY.check(config(Path.of("/etc")))).doesNotThrowAnyException();
    }

    @Test
    void oneModelOutsideRefusesTheWholeConfigNamingIt() throws Exception {
        ModelServerConfig config = ModelServerConfig.newBuilder().setModelConfigList(ModelConfigList.newBuilder()
                .addConfig(ModelConfig.newBuilder().setName("fine").setBasePath(models.resolve("half_plus_two").toString()))
                .addConfig(ModelConfig.newBuilder().setName("thief").setBasePath(outside.toString())))
                .build();

        assertThatThrownBy(() -> allowlist.check(config))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessage("Model thief has base_path " + outside + ", outside the folders "
                        + "--model_base_path_allowlist allows: " + models.toRealPath());
    }

    private void assertAllowed(Path basePath) {
        assertThatCode(() -> allowlist.check(config(basePath))).as("%s", basePath).doesNotThrowAnyException();
    }

    private void assertRefused(Path basePath, String resolved) {
        assertThatThrownBy(() -> allowlist.check(config(basePath))).as("%s", basePath)
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageContaining("outside the folders --model_base_path_allowlist allows")
                .hasMessageContaining(resolved);
    }

    private static ModelServerConfig config(Path basePath) {
        return ModelServerConfig.newBuilder().setModelConfigList(ModelConfigList.newBuilder()
                .addConfig(ModelConfig.newBuilder().setName("m").setBasePath(basePath.toString()))).build();
    }
}
