package dev.servedeck.core.main;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.servedeck.proto.apis.ClassificationRequest;
import dev.servedeck.proto.apis.ExampleList;
import dev.servedeck.proto.apis.ExampleListWithContext;
import dev.servedeck.proto.apis.InferenceTask;
import dev.servedeck.proto.apis.Input;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.MultiInferenceRequest;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.RegressionRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Valid Predict, Classify, Regress and MultiInference requests for half_plus_two, mutated at the protobuf wire level
 * from a seeded random source: fields dropped, duplicated or given random varints and bytes, nested messages
 * mutated in turn, declared shapes made giant, dtypes changed, bytes flipped or cut off. The same seed gives the
 * same requests.
 */
final class ProtoMutations {

    /** A request for one of the PredictionService's methods. */
    record Request(String method, byte[] bytes) {
    }

    private static final String SERVICE = "tensorflow.serving.PredictionService/";
    private static final long[] GIANT_SIZES = {0, 1, 3, -1, -7, 1L << 31, 1L << 40, 500_000_000, Long.MAX_VALUE,
        Integer.MAX_VALUE};

    private final Random random;
    private final String model;

    ProtoMutations(Random random, String model) {
        this.random = random;
        this.model = model;
    }

    Request next() {
        Request valid = valid();
        byte[] bytes = switch (random.nextInt(5)) {
            case 0 -> valid.bytes();
            case 1 -> mutateFields(valid.bytes(), 0);
            case 2 -> giantShape();
            case 3 -> flipBytes(valid.bytes());
            default -> mutateFields(mutateFields(valid.bytes(), 0), 0);
        };
        return new Request(valid.method(), bytes);
    }

    private Request valid() {
        ModelSpec spec = ModelSpec.newBuilder().setName(random.nextInt(10) == 0 ? "nope" : model).build();
        Example example = Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x", Feature.newBuilder()
                .setFloatList(FloatList.newBuilder().addValue(random.nextFloat() * 10)).build())).build();
        Input examples = random.nextBoolean()
                ? Input.newBuilder().setExampleList(ExampleList.newBuilder().addExamples(example).addExamples(example)).build()
                : Input.newBuilder().setExampleListWithContext(ExampleListWithContext.newBuilder().addExamples(example)
                        .setContext(example)).build();
        return switch (random.nextInt(4)) {
            case 0 -> new Request(SERVICE + "Classify", ClassificationRequest.newBuilder()
                    .setModelSpec(spec.toBuilder().setSignatureName("classify_x_to_y")).setInput(examples).build()
                    .toByteArray());
            case 1 -> new Request(SERVICE + "Regress", RegressionRequest.newBuilder()
                    .setModelSpec(spec.toBuilder().setSignatureName("regress_x_to_y")).setInput(examples).build()
                    .toByteArray());
            case 2 -> new Request(SERVICE + "MultiInference", MultiInferenceRequest.newBuilder()
                    .addTasks(InferenceTask.newBuilder().setModelSpec(spec.toBuilder().setSignatureName("regress_x_to_y"))
                            .setMethodName("tensorflow/serving/regress"))
                    .setInput(examples).build().toByteArray());
            default -> new Request(SERVICE + "Predict", PredictRequest.newBuilder().setModelSpec(spec)
                    .putInputs("x", floats(2)).build().toByteArray());
        };
    }

    private TensorProto floats(int n) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(n)));
        for (int i = 0; i < n; i++) {
            tensor.addFloatVal(random.nextFloat());
        }
        return tensor.build();
    }

    /** A Predict whose tensor declares a shape far beyond its values, with any dtype number. */
    private byte[] giantShape() {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        int rank = random.nextInt(4);
        for (int i = 0; i < rank; i++) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(GIANT_SIZES[random.nextInt(GIANT_SIZES.length)]));
        }
        TensorProto.Builder tensor = TensorProto.newBuilder().setTensorShape(shape)
                .setDtypeValue(random.nextInt(4) == 0 ? random.nextInt(30) : DataType.DT_FLOAT_VALUE);
        switch (random.nextInt(4)) {
            case 0 -> tensor.addFloatVal(1f);
            case 1 -> tensor.addStringVal(ByteString.copyFromUtf8("s"));
            case 2 -> tensor.setTensorContent(ByteString.copyFrom(new byte[random.nextInt(64)]));
            default -> tensor.addInt64Val(random.nextLong()).addBoolVal(true).addHalfVal(7);
        }
        return PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName(model))
                .putAllInputs(Map.of("x", tensor.build())).build().toByteArray();
    }

    /** Drops, duplicates or rewrites one field; recurses into a length-delimited field that parses as a message. */
    private byte[] mutateFields(byte[] message, int depth) {
        UnknownFieldSet fields;
        try {
            fields = UnknownFieldSet.parseFrom(message);
        } catch (InvalidProtocolBufferException notAMessage) {
            return flipBytes(message);
        }
        List<Integer> numbers = new ArrayList<>(fields.asMap().keySet());
        if (numbers.isEmpty()) {
            return UnknownFieldSet.newBuilder().addField(1 + random.nextInt(20), UnknownFieldSet.Field.newBuilder()
                    .addVarint(random.nextLong()).build()).build().toByteArray();
        }
        int number = numbers.get(random.nextInt(numbers.size()));
        UnknownFieldSet.Field field = fields.getField(number);
        UnknownFieldSet.Builder out = fields.toBuilder();
        switch (random.nextInt(6)) {
            case 0 -> out.clearField(number);
            case 1 -> out.mergeField(number, field);
            case 2 -> out.clearField(number).addField(number, UnknownFieldSet.Field.newBuilder()
                    .addVarint(random.nextLong() >>> random.nextInt(64)).build());
            case 3 -> out.clearField(number).addField(number, UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(ByteString.copyFrom(randomBytes(random.nextInt(40)))).build());
            case 4 -> out.addField(1 + random.nextInt(30), UnknownFieldSet.Field.newBuilder()
                    .addFixed64(random.nextLong()).addFixed32(random.nextInt()).build());
            default -> {
                if (field.getLengthDelimitedList().isEmpty() || depth > 5) {
                    out.clearField(number);
                } else {
                    UnknownFieldSet.Field.Builder nested = UnknownFieldSet.Field.newBuilder();
                    for (ByteString value : field.getLengthDelimitedList()) {
                        nested.addLengthDelimited(ByteString.copyFrom(mutateFields(value.toByteArray(), depth + 1)));
                    }
                    out.clearField(number).addField(number, nested.build());
                }
            }
        }
        return out.build().toByteArray();
    }

    private byte[] flipBytes(byte[] bytes) {
        if (bytes.length == 0) {
            return randomBytes(1 + random.nextInt(16));
        }
        byte[] copy = bytes.clone();
        if (random.nextBoolean()) {
            return Arrays.copyOf(copy, random.nextInt(copy.length));
        }
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
