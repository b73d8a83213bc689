package dev.servedeck.core.batching;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import dev.servedeck.proto.config.BatchingParameters;
import dev.servedeck.proto.config.ServeDeckBatchingParameters;

/**
 * One batching parameters text holding TF Serving's {@link BatchingParameters} and ServeDeck's own
 * {@link ServeDeckBatchingParameters} side by side, as if the second extended the first.
 *
 * <p>Proto3 messages cannot be extended, and a copy of TF Serving's fields in a message of our own would drift
 * from it. So the text is read into a message whose descriptor is built here once: BatchingParameters' own
 * descriptor plus ServeDeck's fields. It keeps BatchingParameters' full name, so parser errors read exactly as
 * before. Both generated messages then read that message's bytes, each ignoring the other's fields, which is
 * protobuf's wire compatibility at work.
 *
 * @param tfServing TF Serving's fields
 * @param serveDeck ServeDeck's fields
 */
record ExtendedBatchingParameters(BatchingParameters tfServing, ServeDeckBatchingParameters serveDeck) {

    private static final Descriptor EXTENDED = extendedDescriptor();

    /**
     * Reads protobuf text holding fields of either message.
     *
     * @throws TextFormat.ParseException for text that does not parse or names a field neither message has
     */
    static ExtendedBatchingParameters parse(String text) throws TextFormat.ParseException {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(EXTENDED);
        TextFormat.merge(text, builder);
        ByteString bytes = builder.build().toByteString();
        try {
            return new ExtendedBatchingParameters(BatchingParameters.parseFrom(bytes),
                    ServeDeckBatchingParameters.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Bytes just written by protobuf did not read back", e);
        }
    }

    /** Both messages as one protobuf text, TF Serving's fields first (fields print in number order). */
    String print() {
        try {
            DynamicMessage merged = DynamicMessage.parseFrom(EXTENDED,
                    tfServing.toByteString().concat(serveDeck.toByteString()));
            return TextFormat.printer().printToString(merged);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Bytes just written by protobuf did not read back", e);
        }
    }

    private static Descriptor extendedDescriptor() {
        Descriptor tf = BatchingParameters.getDescriptor();
        Descriptor own = ServeDeckBatchingParameters.getDescriptor();
        DescriptorProto.Builder message = tf.toProto().toBuilder();
        for (FieldDescriptor field : own.getFields()) {
            if (tf.findFieldByNumber(field.getNumber()) != null || tf.findFieldByName(field.getName()) != null) {
                throw new IllegalStateException("ServeDeck's batching field " + field.getName()
                        + " collides with a field of TF Serving's BatchingParameters");
            }
            message.addField(field.toProto());
        }
        // Only wrapper types are referenced: the message's fields are TF Serving's Int64Value/StringValue/BoolValue
        // and ServeDeck's BoolValue.
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("servedeck/extended_batching_parameters.proto")
                .setPackage(tf.getFile().getPackage())
                .setSyntax("proto3")
                .addDependency(com.google.protobuf.BoolValue.getDescriptor().getFile().getName())
                .addMessageType(message)
                .build();
        try {
            return FileDescriptor.buildFrom(file,
                    new FileDescriptor[] {com.google.protobuf.BoolValue.getDescriptor().getFile()})
                    .findMessageTypeByName(tf.getName());
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("Cannot extend BatchingParameters with ServeDeck's fields", e);
        }
    }
}
