package io.vigil.trainer.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.vigil.models.InputSignature;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes single-operator ONNX classifiers (an {@code ai.onnx.ml} LinearClassifier or
 * TreeEnsembleClassifier) with Vigil's conventions: one float input {@code [N, width]}, outputs
 * {@value #LABEL} (int64 {@code [N]}) and {@value #PROBABILITIES} (float {@code [N, 2]}, column 1 =
 * P(fraud)), class labels 0 and 1, and the ordered feature names in the model's metadata props.
 */
public final class OnnxGraphs {

    public static final String ML_DOMAIN = "ai.onnx.ml";
    public static final String LABEL = "label";
    public static final String PROBABILITIES = "probabilities";

    private static final long IR_VERSION = 8;
    private static final long ML_OPSET = 3;
    private static final long DEFAULT_OPSET = 17;

    private OnnxGraphs() {}

    /**
     * A model whose graph is one ai.onnx.ml {@code opType} node with {@code attributes}, which must
     * declare the class labels 0 and 1; input and outputs are wired here.
     */
    public static byte[] classifier(
            String opType, List<AttributeProto> attributes, InputSignature signature) {
        NodeProto node =
                NodeProto.newBuilder()
                        .setName(opType)
                        .setOpType(opType)
                        .setDomain(ML_DOMAIN)
                        .addInput(signature.tensorName())
                        .addOutput(LABEL)
                        .addOutput(PROBABILITIES)
                        .addAllAttribute(attributes)
                        .build();
        GraphProto graph =
                GraphProto.newBuilder()
                        .setName("vigil_" + opType)
                        .addInput(
                                tensor(
                                        signature.tensorName(),
                                        TensorProto.DataType.FLOAT,
                                        signature.width()))
                        .addNode(node)
                        .addOutput(tensor(LABEL, TensorProto.DataType.INT64))
                        .addOutput(tensor(PROBABILITIES, TensorProto.DataType.FLOAT, 2))
                        .build();
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("vigil-trainer")
                .addOpsetImport(
                        OperatorSetIdProto.newBuilder().setDomain("").setVersion(DEFAULT_OPSET))
                .addOpsetImport(
                        OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(ML_OPSET))
                .addMetadataProps(
                        StringStringEntryProto.newBuilder()
                                .setKey("vigil.features")
                                .setValue(String.join(",", signature.featureNames())))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    public static AttributeProto floats(String name, float[] values) {
        AttributeProto.Builder a =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return a.build();
    }

    public static AttributeProto ints(String name, long[] values) {
        AttributeProto.Builder a =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static AttributeProto strings(String name, List<String> values) {
        AttributeProto.Builder a =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            a.addStrings(ByteString.copyFromUtf8(v));
        }
        return a.build();
    }

    public static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value))
                .build();
    }

    /** A tensor of {@code type} with a symbolic batch dimension and then {@code dims}. */
    private static ValueInfoProto tensor(String name, TensorProto.DataType type, long... dims) {
        List<TensorShapeProto.Dimension> shape = new ArrayList<>();
        shape.add(TensorShapeProto.Dimension.newBuilder().setDimParam("N").build());
        for (long d : dims) {
            shape.add(TensorShapeProto.Dimension.newBuilder().setDimValue(d).build());
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder()
                                                .setElemType(type.getNumber())
                                                .setShape(
                                                        TensorShapeProto.newBuilder()
                                                                .addAllDim(shape))))
                .build();
    }
}
