package dev.servedeck.core.tensorflow.demo;

import dev.servedeck.proto.config.ModelConfig;
import dev.servedeck.proto.config.ModelConfigList;
import dev.servedeck.proto.config.ModelServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo models that {@code --demo} and the console serve: {@code half_plus_two} and the 784-512-512-10
 * {@code mlp}, generated under one folder on first use and reused afterwards.
 */
public final class DemoModelSet {

    private static final Logger LOG = LoggerFactory.getLogger(DemoModelSet.class);

    public static final String HALF_PLUS_TWO = "half_plus_two";
    public static final String MLP = "mlp";

    private DemoModelSet() {
    }

    /** {@code ~/.servedeck/demo-models}: where the demo models live unless told otherwise. */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("user.home"), ".servedeck", "demo-models");
    }

    /**
     * Writes any demo model missing under {@code root} and returns a model config serving both.
     *
     * @throws UncheckedIOException when the models cannot be written
     */
    public static ModelServerConfig ensure(Path root) {
        Path halfPlusTwo = root.resolve(HALF_PLUS_TWO);
        Path mlp = root.resolve(MLP);
        try {
            if (!Files.isDirectory(halfPlusTwo.resolve("1"))) {
                LOG.info("Generating demo model half_plus_two in {}", halfPlusTwo);
                DemoModels.writeHalfPlusTwo(halfPlusTwo, 1);
            }
            if (!Files.isDirectory(mlp.resolve("1"))) {
                LOG.info("Generating demo model mlp (784-512-512-10) in {}", mlp);
                DemoModels.writeMlp(mlp, 1, 42);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write demo models to " + root, e);
        }
        return ModelServerConfig.newBuilder()
                .setModelConfigList(ModelConfigList.newBuilder()
                        .addConfig(model(HALF_PLUS_TWO, halfPlusTwo))
                        .addConfig(model(MLP, mlp)))
                .build();
    }

    private static ModelConfig model(String name, Path basePath) {
        return ModelConfig.newBuilder().setName(name).setBasePath(basePath.toString())
                .setModelPlatform("tensorflow").build();
    }
}
