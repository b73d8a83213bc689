package dev.servedeck.core.tensorflow;

import com.google.protobuf.TextFormat;
import dev.servedeck.core.inference.MultiInferenceTasks;
import dev.servedeck.core.servable.Classification;
import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.core.wire.Dtypes;
import dev.servedeck.core.wire.Shapes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFUnimplementedException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * TF Serving's Classify and Regress on a SavedModel (classifier.cc, regressor.cc): the signature's
 * {@code inputs} tensor is fed a DT_STRING vector of serialized tf.Examples and its outputs are read as
 * labels/scores or one value per example. Error codes and wording follow TF Serving.
 */
final class ExampleInference {

    private static final String CLASSIFY_METHOD = MultiInferenceTasks.CLASSIFY_METHOD;
    private static final String REGRESS_METHOD = MultiInferenceTasks.REGRESS_METHOD;
    private static final String INPUTS = "inputs";
    private static final String CLASSES = "classes";
    private static final String SCORES = "scores";
    private static final String OUTPUTS = "outputs";

    private final Session session;
    private final Map<String, BoundSignature> signatures;
    private final boolean methodNameCheck;

    /**
     * @param methodNameCheck TF Serving's {@code --enable_signature_method_name_check}: when false (its
     *     default) any signature of the right form classifies or regresses, whatever its method name
     */
    ExampleInference(Session session, Map<String, BoundSignature> signatures, boolean methodNameCheck) {
        this.session = session;
        this.signatures = signatures;
        this.methodNameCheck = methodNameCheck;
    }

    List<List<Classification>> classify(String signatureName, ExampleBatch batch) {
        BoundSignature signature = signature(signatureName, CLASSIFY_METHOD, "classification");
        SignatureDef def = signature.def();
        if (def.getInputsCount() != 1) {
            throw ServingException.invalidArgument("Expected one input Tensor.");
        }
        if (def.getOutputsCount() != 1 && def.getOutputsCount() != 2) {
            throw ServingException.invalidArgument("Expected one or two output Tensors, found " + def.getOutputsCount());
        }
        TensorInfo input = requireInput(def, "classification");
        Optional<TensorInfo> classes = Optional.ofNullable(def.getOutputsMap().get(CLASSES));
        Optional<TensorInfo> scores = Optional.ofNullable(def.getOutputsMap().get(SCORES));
        if (classes.isEmpty() && scores.isEmpty()) {
            throw ServingException.failedPrecondition("Expected classification signature outputs to contain at least one of \""
                    + CLASSES + "\" or \"" + SCORES + "\". Signature was: " + TextFormat.shortDebugString(def));
        }
        signature.checkRunnable();
        List<String> fetches = new ArrayList<>();
        classes.ifPresent(info -> fetches.add(info.getName()));
        scores.ifPresent(info -> fetches.add(info.getName()));
        int examples = batch.examples().size();
        try (Result result = run(signature, input, batch, fetches)) {
            Tensor classTensor = classes.isPresent() ? result.get(0) : null;
            Tensor scoreTensor = scores.isPresent() ? result.get(fetches.size() - 1) : null;
            long classCount = checkClassifyOutput(classTensor, DataType.DT_STRING, "classes", examples);
            long scoreCount = checkClassifyOutput(scoreTensor, DataType.DT_FLOAT, "scores", examples);
            if (classTensor != null && scoreTensor != null && classCount != scoreCount) {
                throw ServingException.invalidArgument("Tensors class and score should match in dim_size(1). Got "
                        + classCount + " vs. " + scoreCount);
            }
            long perExample = classTensor != null ? classCount : scoreCount;
            List<List<Classification>> results = new ArrayList<>(examples);
            for (int i = 0; i < examples; i++) {
                List<Classification> row = new ArrayList<>((int) perExample);
                for (int c = 0; c < perExample; c++) {
                    String label = classTensor == null ? ""
                            : new String(((TString) classTensor).asBytes().getObject(i, c), StandardCharsets.UTF_8);
                    float score = scoreTensor == null ? 0f : ((TFloat32) scoreTensor).getFloat(i, c);
                    row.add(new Classification(label, score));
                }
                results.add(List.copyOf(row));
            }
            return List.copyOf(results);
        }
    }

    List<Float> regress(String signatureName, ExampleBatch batch) {
        BoundSignature signature = signature(signatureName, REGRESS_METHOD, "regression");
        SignatureDef def = signature.def();
        if (def.getInputsCount() != 1) {
            throw ServingException.invalidArgument("Expected one input Tensor.");
        }
        if (def.getOutputsCount() != 1) {
            throw ServingException.invalidArgument("Expected one output Tensor.");
        }
        TensorInfo input = requireInput(def, "regression");
        TensorInfo output = def.getOutputsMap().get(OUTPUTS);
        if (output == null) {
            throw ServingException.failedPrecondition("No regression outputs found in SignatureDef: "
                    + TextFormat.shortDebugString(def));
        }
        signature.checkRunnable();
        int examples = batch.examples().size();
        try (Result result = run(signature, input, batch, List.of(output.getName()))) {
            Tensor values = result.get(0);
            long[] shape = values.shape().asArray();
            if (!(shape.length == 1 || shape.length == 2 && shape[1] == 1)) {
                throw ServingException.invalidArgument("Expected output Tensor shape to be either [batch_size] or "
                        + "[batch_size, 1] but got " + Shapes.toString(shape));
            }
            if (shape[0] != examples) {
                throw ServingException.invalidArgument("Input batch size did not match output batch size: " + examples
                        + " vs. " + shape[0]);
            }
            if (values.dataType() != DataType.DT_FLOAT) {
                throw ServingException.invalidArgument("Expected output Tensor of DT_FLOAT. Got: " + values.dataType());
            }
            float[] floats = new float[examples];
            ((TFloat32) values).asRawTensor().data().asFloats().read(floats);
            List<Float> results = new ArrayList<>(examples);
            for (float value : floats) {
                results.add(value);
            }
            return List.copyOf(results);
        }
    }

    private BoundSignature signature(String requested, String method, String kind) {
        String name = requested.isEmpty() ? Servable.DEFAULT_SIGNATURE : requested;
        BoundSignature signature = signatures.get(name);
        if (signature == null) {
            throw ServingException.invalidArgument("No signature was found with the name: " + name + "."
                    + Servable.signatureKeysSentence(signatures.keySet()));
        }
        if (methodNameCheck && !method.equals(signature.def().getMethodName())) {
            throw ServingException.invalidArgument("Expected " + kind + " signature method_name to be " + method
                    + ". Was: " + signature.def().getMethodName());
        }
        return signature;
    }

    private static TensorInfo requireInput(SignatureDef def, String kind) {
        TensorInfo input = def.getInputsMap().get(INPUTS);
        if (input == null) {
            throw ServingException.failedPrecondition("No " + kind + " inputs found in SignatureDef: "
                    + TextFormat.shortDebugString(def));
        }
        return input;
    }

    private Result run(BoundSignature signature, TensorInfo input, ExampleBatch batch, List<String> fetches) {
        DataType inputType = signature.graphInputType(INPUTS);
        if (inputType != DataType.DT_STRING) {
            throw ServingException.invalidArgument("Expects input '" + INPUTS + "' (" + input.getName() + ") to be "
                    + Dtypes.name(inputType) + " but string is provided (serialized tf.Examples): use Predict"
                    + " for this signature");
        }
        try (TString examples = serializedExamples(batch)) {
            Session.Runner runner = session.runner().feed(input.getName(), examples);
            fetches.forEach(runner::fetch);
            return runner.run();
        } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
            throw TensorflowErrors.toServingException(e);
        }
    }

    /**
     * One serialized tf.Example per element. With a context, each element is the context's bytes followed
     * by the example's: parsing concatenated protos merges them, which is how TF Serving
     * (InputToSerializedExampleTensor in util.cc) gives every example the context's features.
     */
    private static TString serializedExamples(ExampleBatch batch) {
        if (batch.examples().isEmpty()) {
            throw ServingException.invalidArgument("Input is empty.");
        }
        byte[] context = batch.context().map(Example::toByteArray).orElse(new byte[0]);
        byte[][] serialized = new byte[batch.examples().size()][];
        for (int i = 0; i < serialized.length; i++) {
            byte[] example = batch.examples().get(i).toByteArray();
            serialized[i] = Arrays.copyOf(context, context.length + example.length);
            System.arraycopy(example, 0, serialized[i], context.length, example.length);
        }
        return TString.tensorOfBytes(Shape.of(serialized.length), DataBuffers.ofObjects(serialized));
    }

    /** TF Serving's checks of a classes/scores output; returns the number of classes (dim 1), 0 when absent. */
    private static long checkClassifyOutput(Tensor tensor, DataType dtype, String name, int examples) {
        if (tensor == null) {
            return 0;
        }
        long[] shape = tensor.shape().asArray();
        if (shape.length != 2) {
            throw ServingException.invalidArgument("Expected Tensor shape: [batch_size num_classes] but got "
                    + Shapes.toString(shape));
        }
        if (tensor.dataType() != dtype) {
            throw ServingException.invalidArgument("Expected " + name + " Tensor of " + dtype + ". Got: " + tensor.dataType());
        }
        if (shape[0] != examples) {
            throw ServingException.invalidArgument("Expected " + name + " output batch size of " + examples + ". Got: "
                    + shape[0]);
        }
        return shape[1];
    }
}
