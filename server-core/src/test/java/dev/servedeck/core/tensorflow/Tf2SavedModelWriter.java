package dev.servedeck.core.tensorflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Writes SavedModels laid out the way TensorFlow 2's {@code tf.saved_model.save} and Keras' {@code model.export()}
 * lay them out, with TensorFlow Java alone (no Python here), so every rule of the TF2 format has a fixture of
 * its own:
 * <ul>
 *   <li>each signature is a function: its outputs are outputs of a {@code StatefulPartitionedCall} (or, for a
 *       stateless body, {@code PartitionedCall}) op, its inputs placeholders named {@code <key>_<alias>};</li>
 *   <li>variables are resource variables ({@code VarHandleOp}), read inside the functions, saved in
 *       {@code variables/} under TF2's object-graph keys and restored by a function call that the
 *       {@code saver_def} names (filename tensor {@code saver_filename:0});</li>
 *   <li>the initializer (table initialisation from asset files) is the {@code __saved_model_init_op} entry of
 *       the signature map, a {@code NoOp} with no outputs and no dtype;</li>
 *   <li>assets are listed in {@code asset_file_def}, their tensors string constants holding the path at export
 *       time, which the loader feeds with the absolute path in {@code assets/};</li>
 *   <li>inputs may have unknown rank ({@code shape=None}) or a default ({@code PlaceholderWithDefault} and the
 *       signature's {@code defaults} map); every method name is {@code tensorflow/serving/predict}.</li>
 * </ul>
 * What it leaves out, because no server reads it: the SavedObjectGraph and fingerprint.pb.
 */
public final class Tf2SavedModelWriter implements AutoCloseable {

    static final String PREDICT_METHOD = "tensorflow/serving/predict";
    static final String INIT_OP_KEY = "__saved_model_init_op";

    private final Graph graph = new Graph();
    private final Ops tf = Ops.create(graph);
    private final Map<String, TType> variables = new LinkedHashMap<>();
    private final Map<String, SignatureDef> signatures = new LinkedHashMap<>();
    private final Map<String, String> assets = new LinkedHashMap<>();
    private final List<AssetFileDef> assetDefs = new ArrayList<>();
    private final List<Op> initializers = new ArrayList<>();
    private final List<ConcreteFunction> functions = new ArrayList<>();

    /** The main graph, for ops outside any signature (asset tensors, table initialisers). */
    public Ops ops() {
        return tf;
    }

    /**
     * Declares a resource variable saved with {@code value} (taken over: closed by this writer). Functions read
     * it with {@link #read}.
     */
    public void variable(String name, TType value) {
        variables.put(name, value);
    }

    /** Inside a signature or initializer function: the current value of variable {@code name}. */
    public static <T extends TType> Operand<T> read(Ops fn, String name, Class<T> type, Shape shape) {
        return fn.readVariableOp(handle(fn, name, type, shape), type);
    }

    /**
     * An asset file written to {@code assets/fileName}; returns the string tensor that holds its path, to use
     * from initializers (TensorFlow feeds the real path at load).
     */
    public Operand<TString> asset(String fileName, String content) {
        var path = tf.withName("asset_path_" + assets.size()).constant(fileName);
        assets.put(fileName, content);
        assetDefs.add(AssetFileDef.newBuilder().setFilename(fileName)
                .setTensorInfo(TensorInfo.newBuilder().setName(path.op().name() + ":0").setDtype(DataType.DT_STRING)
                        .setTensorShape(TensorShapeProto.getDefaultInstance()))
                .build());
        return path;
    }

    /** An op the model's initializer ({@code __saved_model_init_op}) runs, e.g. a table initialisation. */
    public void initializer(Op op) {
        initializers.add(op);
    }

    /** Starts a signature whose function {@code body} builds outputs from the inputs, by alias. */
    public SignatureBuilder signature(String key) {
        return new SignatureBuilder(key);
    }

    /** Writes the SavedModel into {@code exportDir} (created; must not exist or be empty). */
    public Path write(Path exportDir) throws IOException {
        Files.createDirectories(exportDir);
        MetaGraphDef.Builder metaGraph = MetaGraphDef.newBuilder();
        metaGraph.getMetaInfoDefBuilder().addTags("serve").setTensorflowVersion("2.18.0")
                .setStrippedDefaultAttrs(true);
        Operand<TString> saverFilename = tf.withName("saver_filename").placeholder(TString.class,
                Placeholder.shape(Shape.scalar()));
        if (!variables.isEmpty()) {
            Operand<?> restored = restoreFunction().call(tf, saverFilename);
            metaGraph.setSaverDef(SaverDef.newBuilder().setFilenameTensorName("saver_filename:0")
                    .setSaveTensorName("saver_filename:0").setRestoreOpName(restored.op().name())
                    .setVersion(SaverDef.CheckpointFormatVersion.V2));
        }
        var init = tf.withName("NoOp").withControlDependencies(initializers).noOp();
        signatures.put(INIT_OP_KEY, SignatureDef.newBuilder().putOutputs(INIT_OP_KEY, TensorInfo.newBuilder()
                .setName(init.op().name()).setTensorShape(TensorShapeProto.newBuilder().setUnknownRank(true)).build())
                .build());
        // The exported graph is taken before the ops that only write the checkpoint are added.
        GraphDef graphDef = graph.toGraphDef();
        metaGraph.setGraphDef(graphDef).putAllSignatureDef(signatures).addAllAssetFileDef(assetDefs);
        if (!variables.isEmpty()) {
            writeCheckpoint(exportDir.resolve("variables"));
        }
        for (Map.Entry<String, String> asset : assets.entrySet()) {
            Path file = exportDir.resolve("assets").resolve(asset.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, asset.getValue(), StandardCharsets.UTF_8);
        }
        SavedModel model = SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(metaGraph).build();
        Files.write(exportDir.resolve("saved_model.pb"), model.toByteArray());
        return exportDir;
    }

    @Override
    public void close() {
        variables.values().forEach(Tensor::close);
        functions.forEach(ConcreteFunction::close);
        graph.close();
    }

    private static Operand<TString> strings(Ops ops, List<String> values) {
        return ops.constant(NdArrays.vectorOfObjects(values.toArray(String[]::new)));
    }

    /** TF2's checkpoint key of a variable saved as an attribute of an object. */
    private static String checkpointKey(String variable) {
        return variable + "/.ATTRIBUTES/VARIABLE_VALUE";
    }

    private static <T extends TType> Operand<?> handle(Ops ops, String name, Class<T> type, Shape shape) {
        // The shared name is the variable's identity: every handle with it, in any function, is the same variable.
        return ops.varHandleOp(type, shape, VarHandleOp.sharedName(name));
    }

    /** A function of the checkpoint prefix that restores every variable, as TF2's saver function does. */
    private ConcreteFunction restoreFunction() {
        ConcreteFunction restore = ConcreteFunction.create(fn -> {
            var prefix = fn.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
            List<String> keys = variables.keySet().stream().map(Tf2SavedModelWriter::checkpointKey).toList();
            List<Class<? extends TType>> types = variables.values().stream()
                    .<Class<? extends TType>>map(TType::type).toList();
            var restored = fn.train.restore(prefix, strings(fn, keys),
                    strings(fn, keys.stream().map(k -> "").toList()), types);
            List<Op> assigns = new ArrayList<>();
            int i = 0;
            for (Map.Entry<String, TType> variable : variables.entrySet()) {
                TType value = variable.getValue();
                assigns.add(fn.assignVariableOp(handle(fn, variable.getKey(), value.type(), value.shape()),
                        restored.tensors().get(i++)));
            }
            var done = fn.withControlDependencies(assigns).identity(prefix);
            return Signature.builder().key("restore").input("file_prefix", prefix).output("output", done).build();
        });
        functions.add(restore);
        return restore;
    }

    /** Assigns every variable its value in a session of its own and saves them with SaveV2. */
    private void writeCheckpoint(Path variablesDir) throws IOException {
        Files.createDirectories(variablesDir);
        try (Session session = new Session(graph)) {
            List<Op> assigns = new ArrayList<>();
            List<Operand<?>> reads = new ArrayList<>();
            for (Map.Entry<String, TType> variable : variables.entrySet()) {
                TType value = variable.getValue();
                Operand<?> handle = handle(tf, variable.getKey(), value.type(), value.shape());
                Operand<? extends TType> constant = tf.withName("value_" + reads.size()).constantOf((TType) value);
                assigns.add(tf.assignVariableOp(handle, constant));
                reads.add(tf.withControlDependencies(assigns.get(assigns.size() - 1))
                        .readVariableOp(handle, value.type()));
            }
            List<String> keys = variables.keySet().stream().map(Tf2SavedModelWriter::checkpointKey).toList();
            var save = tf.train.save(tf.constant(variablesDir.resolve("variables").toString()),
                    strings(tf, keys),
                    strings(tf, keys.stream().map(k -> "").toList()), reads);
            session.runner().addTarget(save).run().close();
        }
    }

    /** One signature: typed inputs (optionally of unknown rank or with a default) and a function body. */
    public final class SignatureBuilder {

        private final String key;
        private final Map<String, InputSpec> inputs = new LinkedHashMap<>();

        private SignatureBuilder(String key) {
            this.key = key;
        }

        /** An input of the given dtype and shape; {@link Shape#unknown()} for {@code shape=None}. */
        public SignatureBuilder input(String alias, Class<? extends TType> type, Shape shape) {
            inputs.put(alias, new InputSpec(type, shape, null));
            return this;
        }

        /**
         * An input with a default ({@code PlaceholderWithDefault}, listed in the signature's {@code defaults}):
         * a request may leave it out.
         */
        public SignatureBuilder inputWithDefault(String alias, TType defaultValue) {
            inputs.put(alias, new InputSpec(defaultValue.type(), defaultValue.shape(), defaultValue));
            return this;
        }

        /**
         * Builds the function from {@code body} (the function's ops and its inputs by alias; returns outputs by
         * alias) and adds the signature, its outputs on the call op in the order of their aliases.
         */
        public void body(BiFunction<Ops, Map<String, Operand<?>>, Map<String, Operand<?>>> body) {
            // TF2 declares a signature's output shapes as traced inside the function (e.g. [-1,3] for a dense
            // layer), not as seen from the call op, whose outputs have no static shape.
            Map<String, Shape> tracedShapes = new LinkedHashMap<>();
            ConcreteFunction function = ConcreteFunction.create(fn -> {
                Map<String, Operand<?>> args = new LinkedHashMap<>();
                Signature.Builder signature = Signature.builder().key(key);
                inputs.forEach((alias, spec) -> {
                    Operand<?> arg = fn.withName(alias).placeholder(spec.type(), Placeholder.shape(spec.shape()));
                    args.put(alias, arg);
                    signature.input(alias, arg);
                });
                body.apply(fn, args).forEach((alias, output) -> {
                    tracedShapes.put(alias, output.shape());
                    signature.output(alias, output);
                });
                return signature.build();
            });
            functions.add(function);
            SignatureDef.Builder def = SignatureDef.newBuilder().setMethodName(PREDICT_METHOD);
            Map<String, Operand<?>> callArgs = new LinkedHashMap<>();
            inputs.forEach((alias, spec) -> {
                Ops named = tf.withName(key + "_" + alias);
                Operand<?> placeholder = spec.defaultValue() == null
                        ? named.placeholder(spec.type(), Placeholder.shape(spec.shape()))
                        : named.placeholderWithDefault(tf.constantOf(spec.defaultValue()), spec.shape());
                callArgs.put(alias, placeholder);
                def.putInputs(alias, tensorInfo(placeholder.op().name() + ":0", placeholder.asOutput().dataType(),
                        spec.shape()));
                if (spec.defaultValue() != null) {
                    def.putDefaults(alias, TensorProtos.toProto(spec.defaultValue()));
                }
            });
            Map<String, Operand<?>> outputs = function.call(tf, callArgs);
            outputs.forEach((alias, output) -> def.putOutputs(alias, tensorInfo(output.op().name() + ":"
                    + output.asOutput().index(), output.asOutput().dataType(), tracedShapes.get(alias))));
            signatures.put(key, def.build());
        }
    }

    private static TensorInfo tensorInfo(String name, DataType dtype, Shape shape) {
        TensorShapeProto.Builder shapeProto = TensorShapeProto.newBuilder();
        if (shape.isUnknown()) {
            shapeProto.setUnknownRank(true);
        } else {
            for (long dim : shape.asArray()) {
                shapeProto.addDimBuilder().setSize(dim);
            }
        }
        return TensorInfo.newBuilder().setName(name).setDtype(dtype).setTensorShape(shapeProto).build();
    }

    private record InputSpec(Class<? extends TType> type, Shape shape, TType defaultValue) {
        InputSpec {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(shape, "shape");
        }
    }
}
