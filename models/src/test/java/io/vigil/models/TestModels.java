package io.vigil.models;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small ONNX logistic models with the output layouts Vigil must accept (built from the ONNX
 * protobuf classes, as skl2onnx and onnxmltools lay them out), and draft metadata for them.
 */
public final class TestModels {

    public static final String INPUT = "float_input";
    public static final Instant TRAIN_FROM = Instant.parse("2018-04-01T00:00:00Z");
    public static final Instant TRAIN_TO = Instant.parse("2018-05-01T00:00:00Z");

    /** How the model returns its probability. */
    public enum Output {
        /** LinearClassifier: {@code probabilities} float [N, 2] (skl2onnx, zipmap=False). */
        PAIRS("probabilities"),
        /** LinearClassifier + ZipMap: {@code output_probability}, a sequence of maps. */
        ZIPMAP("output_probability"),
        /** MatMul, Add, Sigmoid: {@code probability} float [N, 1]. */
        COLUMN("probability"),
        /** MatMul, Add: a raw score that is not a probability. */
        LOGIT("logit");

        public final String name;

        Output(String name) {
            this.name = name;
        }
    }

    private TestModels() {}

    /** P(fraud) = sigmoid(w · x + b) with {@code w.length} inputs. */
    public static byte[] logistic(float[] w, float b, Output output) {
        return logistic(w, b, output, w.length);
    }

    /** As {@link #logistic(float[], float, Output)} with the input declared {@code width} wide. */
    public static byte[] logistic(float[] w, float b, Output output, long width) {
        GraphProto.Builder graph =
                GraphProto.newBuilder()
                        .setName("logistic")
                        .addInput(tensor(INPUT, TensorProto.DataType.FLOAT, width));
        switch (output) {
            case PAIRS, ZIPMAP -> {
                float[] coefficients = new float[2 * w.length];
                for (int i = 0; i < w.length; i++) {
                    coefficients[i] = -w[i];
                    coefficients[w.length + i] = w[i];
                }
                graph.addNode(
                        NodeProto.newBuilder()
                                .setOpType("LinearClassifier")
                                .setDomain("ai.onnx.ml")
                                .addInput(INPUT)
                                .addOutput("label")
                                .addOutput("probabilities")
                                .addAttribute(floats("coefficients", coefficients))
                                .addAttribute(floats("intercepts", -b, b))
                                .addAttribute(ints("classlabels_ints", 0, 1))
                                .addAttribute(string("post_transform", "LOGISTIC")));
                graph.addOutput(tensor("label", TensorProto.DataType.INT64));
                if (output == Output.PAIRS) {
                    graph.addOutput(tensor("probabilities", TensorProto.DataType.FLOAT, 2));
                } else {
                    graph.addNode(
                            NodeProto.newBuilder()
                                    .setOpType("ZipMap")
                                    .setDomain("ai.onnx.ml")
                                    .addInput("probabilities")
                                    .addOutput(output.name)
                                    .addAttribute(ints("classlabels_int64s", 0, 1)));
                    graph.addOutput(zipMap(output.name));
                }
            }
            case COLUMN, LOGIT -> {
                graph.addInitializer(
                        TensorProto.newBuilder()
                                .setName("W")
                                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                                .addDims(w.length)
                                .addDims(1)
                                .addAllFloatData(boxed(w)));
                graph.addInitializer(
                        TensorProto.newBuilder()
                                .setName("B")
                                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                                .addDims(1)
                                .addFloatData(b));
                graph.addNode(node("MatMul", "xw", INPUT, "W"));
                String last = output == Output.LOGIT ? output.name : "z";
                graph.addNode(node("Add", last, "xw", "B"));
                if (output == Output.COLUMN) {
                    graph.addNode(node("Sigmoid", output.name, "z"));
                }
                graph.addOutput(tensor(output.name, TensorProto.DataType.FLOAT, 1));
            }
        }
        return ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("vigil-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addOpsetImport(
                        OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    public static double sigmoid(float[] w, float b, float[] x) {
        double z = b;
        for (int i = 0; i < w.length; i++) {
            z += (double) w[i] * x[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** Weights for the 15 default features (request features first). */
    public static float[] defaultWeights() {
        return new float[] {
            0.004f, 0.3f, 0.5f, 0.1f, 0.001f, -0.02f, 0.0005f, -0.01f, 0.0002f, 0.2f, 3f, 0.01f, 2f,
            0.001f, 1f
        };
    }

    /** A valid draft for the default signature with the given output. */
    public static ModelMetadata draft(String name, String version, Output output) {
        return ModelMetadata.builder(name, version)
                .input(FeatureCatalog.v1().defaultSignature(INPUT))
                .outputName(output.name)
                .algorithm("logistic_regression")
                .hyperparameters(Map.of("l2", "0.01"))
                .trainingWindow(new TrainingWindow(TRAIN_FROM, TRAIN_TO))
                .labelCutoff(TRAIN_TO.plusSeconds(7 * 86_400))
                .metrics(Map.of("auc_roc", 0.87, "average_precision", 0.61))
                .codeVersion("0123abc")
                .build();
    }

    /** The ONNX file matching {@link #draft} with {@link Output#PAIRS}. */
    public static byte[] defaultOnnx() {
        return logistic(defaultWeights(), -3f, Output.PAIRS);
    }

    private static NodeProto node(String op, String output, String... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node.build();
    }

    private static ValueInfoProto tensor(String name, TensorProto.DataType type, long... dims) {
        TensorShapeProto.Builder shape =
                TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder()
                                                .setElemType(type.getNumber())
                                                .setShape(shape)))
                .build();
    }

    private static ValueInfoProto zipMap(String name) {
        TypeProto value =
                TypeProto.newBuilder()
                        .setTensorType(
                                TypeProto.Tensor.newBuilder()
                                        .setElemType(TensorProto.DataType.FLOAT_VALUE))
                        .build();
        TypeProto map =
                TypeProto.newBuilder()
                        .setMapType(
                                TypeProto.Map.newBuilder()
                                        .setKeyType(TensorProto.DataType.INT64_VALUE)
                                        .setValueType(value))
                        .build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setSequenceType(TypeProto.Sequence.newBuilder().setElemType(map)))
                .build();
    }

    private static AttributeProto floats(String name, float... values) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOATS)
                .addAllFloats(boxed(values))
                .build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value))
                .build();
    }

    private static List<Float> boxed(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return list;
    }
}
