package dev.servedeck.core.grpc;

import static dev.servedeck.core.grpc.GrpcTestRequests.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.servedeck.core.ServerCore;
import dev.servedeck.core.ServerCoreOptions;
import dev.servedeck.core.config.ModelServerConfigFile;
import dev.servedeck.core.tensorflow.EchoModels;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.PredictRequest;
import dev.servedeck.proto.apis.PredictResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/**
 * Every common dtype in both of TensorProto's encodings — the typed repeated fields (float_val, int_val ...)
 * and tensor_content (what Python's tf.make_tensor_proto writes) — through gRPC, the core and TensorFlow and
 * back, on a model that echoes its input.
 */
class TensorEncodingTest {

    @TempDir
    static Path models;

    private static ServerCore core;
    private static InProcessGrpcServer grpc;

    @BeforeAll
    static void start() throws Exception {
        EchoModels.write(models.resolve("echo"), 1);
        core = ServerCore.start(ServerCoreOptions.defaults().withFileSystemPollWait(Duration.ZERO),
                ModelServerConfigFile.parse("model_config_list { config { name: \"echo\" base_path: \""
                        + models.resolve("echo") + "\" } }", "test config"));
        grpc = InProcessGrpcServer.start(core);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (grpc != null) {
            grpc.close();
        }
        if (core != null) {
            core.close();
        }
    }

    /** Three values per dtype, chosen to survive the dtype exactly (16-bit floats as their bit patterns). */
    static Stream<DataType> numericDtypes() {
        return EchoModels.DTYPES.keySet().stream().filter(dtype -> dtype != DataType.DT_STRING).sorted();
    }

    @ParameterizedTest
    @MethodSource("numericDtypes")
    void typedFieldsRoundTrip(DataType dtype) {
        List<Long> values = sample(dtype);
        TensorProto sent = typed(dtype, values);
        assertThat(echo(dtype, sent)).as(dtype.name()).isEqualTo(values);
    }

    @ParameterizedTest
    @MethodSource("numericDtypes")
    void tensorContentRoundTrips(DataType dtype) {
        List<Long> values = sample(dtype);
        assertThat(echo(dtype, content(dtype, values))).as(dtype.name()).isEqualTo(values);
    }

    @org.junit.jupiter.api.Test
    void stringsRoundTripInStringVal() {
        byte[] binary = {0, (byte) 0xFF, 0x10};
        TensorProto sent = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape(3))
                .addStringVal(ByteString.copyFromUtf8("héllo")).addStringVal(ByteString.EMPTY)
                .addStringVal(ByteString.copyFrom(binary)).build();
        TensorProto answer = grpc.prediction().predict(request(DataType.DT_STRING, sent)).getOutputsOrThrow("y");
        assertThat(answer.getStringValList()).containsExactlyElementsOf(sent.getStringValList());
    }

    private static List<Long> echo(DataType dtype, TensorProto sent) {
        PredictResponse response = grpc.prediction().predict(request(dtype, sent));
        TensorProto answer = response.getOutputsOrThrow("y");
        assertThat(answer.getDtype()).isEqualTo(dtype);
        assertThat(answer.getTensorShape()).isEqualTo(shape(3));
        return decode(answer);
    }

    private static PredictRequest request(DataType dtype, TensorProto x) {
        return PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("echo").setSignatureName(EchoModels.signature(dtype)))
                .putInputs("x", x).build();
    }

    /** Values as longs: integers as such, floats as their IEEE bits, 16-bit floats as their 16 bits. */
    private static List<Long> sample(DataType dtype) {
        return switch (dtype) {
            case DT_FLOAT -> floatBits(1.5f, -2f, 3.25e-3f);
            case DT_DOUBLE -> List.of(Double.doubleToLongBits(1.5), Double.doubleToLongBits(-2e300),
                    Double.doubleToLongBits(0.1));
            case DT_HALF -> List.of(0x3E00L, 0xC000L, 0x3400L); // 1.5, -2, 0.25
            case DT_BFLOAT16 -> List.of(0x3FC0L, 0xC000L, 0x3E80L); // 1.5, -2, 0.25
            case DT_INT32 -> List.of(7L, -123456L, (long) Integer.MAX_VALUE);
            case DT_INT64 -> List.of(7L, -1L << 40, Long.MAX_VALUE);
            case DT_UINT8 -> List.of(0L, 200L, 255L);
            case DT_UINT16 -> List.of(0L, 40000L, 65535L);
            case DT_BOOL -> List.of(1L, 0L, 1L);
            default -> throw new IllegalArgumentException(dtype.name());
        };
    }

    private static List<Long> floatBits(float... values) {
        List<Long> bits = new ArrayList<>();
        for (float value : values) {
            bits.add((long) Float.floatToIntBits(value));
        }
        return bits;
    }

    private static TensorProto typed(DataType dtype, List<Long> values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape(values.size()));
        for (long value : values) {
            switch (dtype) {
                case DT_FLOAT -> tensor.addFloatVal(Float.intBitsToFloat((int) value));
                case DT_DOUBLE -> tensor.addDoubleVal(Double.longBitsToDouble(value));
                case DT_HALF, DT_BFLOAT16 -> tensor.addHalfVal((int) value);
                case DT_INT32, DT_UINT8, DT_UINT16 -> tensor.addIntVal((int) value);
                case DT_INT64 -> tensor.addInt64Val(value);
                case DT_BOOL -> tensor.addBoolVal(value != 0);
                default -> throw new IllegalArgumentException(dtype.name());
            }
        }
        return tensor.build();
    }

    private static TensorProto content(DataType dtype, List<Long> values) {
        int width = width(dtype);
        ByteBuffer bytes = ByteBuffer.allocate(values.size() * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            switch (width) {
                case 1 -> bytes.put((byte) value);
                case 2 -> bytes.putShort((short) value);
                case 4 -> bytes.putInt((int) value);
                default -> bytes.putLong(value);
            }
        }
        return TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape(values.size()))
                .setTensorContent(ByteString.copyFrom(bytes.flip())).build();
    }

    private static List<Long> decode(TensorProto tensor) {
        DataType dtype = tensor.getDtype();
        List<Long> values = new ArrayList<>();
        if (!tensor.getTensorContent().isEmpty()) {
            ByteBuffer bytes = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            while (bytes.hasRemaining()) {
                switch (width(dtype)) {
                    case 1 -> values.add((long) Byte.toUnsignedInt(bytes.get()));
                    case 2 -> values.add((long) Short.toUnsignedInt(bytes.getShort()));
                    case 4 -> values.add((long) bytes.getInt()); // sign-extended, like the samples' float bits
                    default -> values.add(bytes.getLong());
                }
            }
            return values;
        }
        switch (dtype) {
            case DT_FLOAT -> tensor.getFloatValList().forEach(v -> values.add((long) Float.floatToIntBits(v)));
            case DT_DOUBLE -> tensor.getDoubleValList().forEach(v -> values.add(Double.doubleToLongBits(v)));
            case DT_HALF, DT_BFLOAT16 -> tensor.getHalfValList().forEach(v -> values.add((long) v));
            case DT_INT32, DT_UINT8, DT_UINT16 -> tensor.getIntValList().forEach(v -> values.add((long) v));
            case DT_INT64 -> values.addAll(tensor.getInt64ValList());
            case DT_BOOL -> tensor.getBoolValList().forEach(v -> values.add(v ? 1L : 0L));
            default -> throw new IllegalArgumentException(dtype.name());
        }
        return values;
    }

    private static int width(DataType dtype) {
        return switch (dtype) {
            case DT_BOOL, DT_UINT8 -> 1;
            case DT_HALF, DT_BFLOAT16, DT_UINT16 -> 2;
            case DT_FLOAT, DT_INT32 -> 4;
            default -> 8;
        };
    }
}
