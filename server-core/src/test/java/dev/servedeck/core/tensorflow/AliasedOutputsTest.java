package dev.servedeck.core.tensorflow;

import static dev.servedeck.core.tensorflow.TestTensors.floatValues;
import static dev.servedeck.core.tensorflow.TestTensors.floats;
import static dev.servedeck.core.tensorflow.TestTensors.shape;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;

/**
 * A SignatureDef may name one tensor twice, once as "op:0" and once as the bare op name (TensorFlow reads both as
 * output 0). Both aliases must be answered, from one fetch.
 */
class AliasedOutputsTest {

    @TempDir
    Path temp;

    @Test
    void twoAliasesOfOneTensorSpelledDifferentlyAreBothAnswered() throws Exception {
        Path version = EchoModels.write(temp.resolve("echo"), 1);
        addBareNameAlias(version.resolve("saved_model.pb"), "float", "y", "y_bare");
        SavedModelServable servable = new SavedModelLoader(version, TensorflowOptions.defaults()).load();
        try {
            Map<String, TensorProto> outputs = servable.predict("float",
                    Map.of("x", floats(shape(2), 1.5f, -2f)), Set.of());

            assertThat(outputs).containsOnlyKeys("y", "y_bare");
            assertThat(floatValues(outputs.get("y"))).containsExactly(1.5f, -2f);
            assertThat(floatValues(outputs.get("y_bare"))).containsExactly(1.5f, -2f);
        } finally {
            servable.close();
        }
    }

    /** Adds output {@code alias} to {@code signature}: the tensor of output {@code existing}, without its ":0". */
    private static void addBareNameAlias(Path savedModelPb, String signature, String existing, String alias)
            throws Exception {
        SavedModel.Builder model = SavedModel.parseFrom(Files.readAllBytes(savedModelPb)).toBuilder();
        MetaGraphDef.Builder metaGraph = model.getMetaGraphsBuilder(0);
        SignatureDef.Builder def = metaGraph.getSignatureDefOrThrow(signature).toBuilder();
        TensorInfo tensor = def.getOutputsOrThrow(existing);
        assertThat(tensor.getName()).endsWith(":0");
        def.putOutputs(alias, tensor.toBuilder()
                .setName(tensor.getName().substring(0, tensor.getName().length() - 2)).build());
        metaGraph.putSignatureDef(signature, def.build());
        Files.write(savedModelPb, model.build().toByteArray());
    }
}
