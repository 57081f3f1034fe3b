package io.vigil.models.inference;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.vigil.models.DistributionProfile;
import io.vigil.models.InvalidModelException;
import io.vigil.models.ModelArtifact;
import io.vigil.models.ModelMetadata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One loaded model version: scores feature rows with ONNX Runtime and returns the probability of
 * fraud (class 1).
 *
 * <p>{@link #load} refuses a model that ONNX Runtime cannot load, whose input is not the one float
 * tensor {@code [batch, width]} its metadata describes, whose output is not a probability tensor
 * ({@code [N, 2]}, {@code [N, 1]} or {@code [N]}) or a ZipMap (sequence of maps {@code {0: p0, 1:
 * p1}}, as skl2onnx and onnxmltools export), or whose smoke inference does not return a
 * probability. It never leaves a half-built scorer behind.
 *
 * <p>Single rows go through one native tensor that wraps a direct buffer allocated at load, so a
 * call copies the features into it and allocates no tensor storage. Methods are synchronized: the
 * scorer holds that buffer, so concurrent callers would otherwise mix their rows. Sessions run one
 * intra-op thread: per-row inference is microseconds and a thread pool would only add hand-offs.
 */
public final class OnnxScorer implements AutoCloseable {

    private final ModelMetadata metadata;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final Set<String> requestedOutputs;
    private final int width;
    private final boolean batchable;
    private final FloatBuffer rowBuffer;
    private final OnnxTensor rowTensor;
    private final Map<String, OnnxTensor> rowInputs;
    private FloatBuffer batchBuffer;
    private boolean closed;

    private OnnxScorer(ModelMetadata metadata, OrtSession session) throws OrtException {
        this.metadata = metadata;
        this.env = OrtEnvironment.getEnvironment();
        this.session = session;
        this.inputName = metadata.input().tensorName();
        this.requestedOutputs = Set.of(metadata.outputName());
        this.width = metadata.input().width();
        this.batchable = checkInput();
        checkOutput();
        this.rowBuffer = directFloats(width);
        this.rowTensor = OnnxTensor.createTensor(env, rowBuffer, new long[] {1, width});
        this.rowInputs = Map.of(inputName, rowTensor);
        this.batchBuffer = directFloats(width * 64);
    }

    /** Loads and checks a model read from a registry. */
    public static OnnxScorer load(ModelArtifact artifact) {
        return load(artifact.metadata(), artifact.onnx());
    }

    /**
     * Loads {@code onnx}, checks it against {@code metadata} and runs a smoke inference.
     *
     * @throws InvalidModelException saying what does not match, with nothing left open
     */
    public static OnnxScorer load(ModelMetadata metadata, byte[] onnx) {
        String what = describe(metadata);
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = OrtEnvironment.getEnvironment().createSession(onnx, options);
        } catch (OrtException | RuntimeException e) {
            throw new InvalidModelException(
                    what + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
        OnnxScorer scorer = null;
        try {
            scorer = new OnnxScorer(metadata, session);
            scorer.smokeTest();
            return scorer;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(scorer, session, e);
            if (e instanceof InvalidModelException invalid) {
                throw invalid;
            }
            throw new InvalidModelException(what + ": " + e.getMessage(), e);
        }
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** Number of features a row must have, in {@link ModelMetadata#input()} order. */
    public int width() {
        return width;
    }

    /** P(fraud) of one row. */
    public synchronized double score(float[] features) {
        checkOpen();
        checkWidth(features);
        rowBuffer.clear();
        rowBuffer.put(features);
        rowBuffer.flip();
        try (OrtSession.Result result = session.run(rowInputs, requestedOutputs)) {
            return probabilities(result, 1)[0];
        } catch (OrtException e) {
            throw inferenceFailed(e);
        }
    }

    /** P(fraud) of every row, in order. */
    public synchronized double[] scoreBatch(float[][] rows) {
        checkOpen();
        if (rows.length == 0) {
            return new double[0];
        }
        if (!batchable) {
            double[] scores = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                scores[i] = score(rows[i]);
            }
            return scores;
        }
        int needed = rows.length * width;
        if (batchBuffer.capacity() < needed) {
            batchBuffer = directFloats(Math.max(needed, batchBuffer.capacity() * 2));
        }
        batchBuffer.clear();
        for (float[] row : rows) {
            checkWidth(row);
            batchBuffer.put(row);
        }
        batchBuffer.flip();
        try (OnnxTensor tensor =
                        OnnxTensor.createTensor(env, batchBuffer, new long[] {rows.length, width});
                OrtSession.Result result =
                        session.run(Map.of(inputName, tensor), requestedOutputs)) {
            return probabilities(result, rows.length);
        } catch (OrtException e) {
            throw inferenceFailed(e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        rowTensor.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(describe(metadata) + ": cannot close the session", e);
        }
    }

    /** Returns true while the model's input dimension 0 is dynamic (batches allowed). */
    private boolean checkInput() throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        NodeInfo input = inputs.get(inputName);
        if (input == null || inputs.size() != 1) {
            throw invalid(
                    "the model's inputs are "
                            + inputs.keySet()
                            + "; its metadata expects exactly one, '"
                            + inputName
                            + "'");
        }
        if (!(input.getInfo() instanceof TensorInfo tensor)
                || tensor.type != OnnxJavaType.FLOAT
                || tensor.getShape().length != 2) {
            throw invalid(
                    "input '"
                            + inputName
                            + "' must be a float tensor [batch, "
                            + width
                            + "], the model declares "
                            + input.getInfo());
        }
        long[] shape = tensor.getShape();
        if (shape[1] != width && shape[1] != -1) {
            throw invalid(
                    "input '"
                            + inputName
                            + "' has "
                            + shape[1]
                            + " columns, the metadata lists "
                            + width
                            + " features "
                            + metadata.input().featureNames());
        }
        if (shape[0] != -1 && shape[0] != 1) {
            throw invalid("input '" + inputName + "' has a fixed batch size of " + shape[0]);
        }
        return shape[0] == -1;
    }

    private void checkOutput() throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        NodeInfo output = outputs.get(metadata.outputName());
        if (output == null) {
            throw invalid(
                    "no output '"
                            + metadata.outputName()
                            + "'; the model's outputs are "
                            + outputs.keySet());
        }
        ValueInfo info = output.getInfo();
        boolean supported =
                (info instanceof TensorInfo t && isProbabilityTensor(t))
                        || (info instanceof SequenceInfo s
                                && s.isSequenceOfMaps()
                                && isZipMap(s.mapInfo));
        if (!supported) {
            throw invalid(
                    "output '"
                            + metadata.outputName()
                            + "' is "
                            + info
                            + "; expected probabilities as a float tensor [N,2], [N,1] or [N], or"
                            + " a ZipMap (sequence of maps {0: p0, 1: p1})");
        }
    }

    private void smokeTest() {
        float[] row = new float[width];
        if (metadata.referenceProfile() != null) {
            // Reference means are realistic inputs; zeros can be far from anything a model has
            // seen.
            for (int i = 0; i < width; i++) {
                DistributionProfile p =
                        metadata.referenceProfile()
                                .features()
                                .get(metadata.input().features().get(i).name());
                row[i] = p == null ? 0f : (float) p.mean();
            }
        }
        double single = score(row);
        double[] batch = scoreBatch(new float[][] {row, row});
        if (Math.abs(batch[0] - single) > 1e-6 || Math.abs(batch[1] - single) > 1e-6) {
            throw invalid(
                    "smoke inference differs between a single row ("
                            + single
                            + ") and a batch "
                            + Arrays.toString(batch));
        }
    }

    private double[] probabilities(OrtSession.Result result, int rows) throws OrtException {
        OnnxValue value =
                result.get(metadata.outputName())
                        .orElseThrow(() -> invalid("no output " + metadata.outputName()));
        double[] p = new double[rows];
        if (value instanceof OnnxTensor tensor) {
            long[] shape = tensor.getInfo().getShape();
            int columns = shape.length == 1 ? 1 : (int) shape[1];
            if (shape[0] != rows || columns < 1 || columns > 2) {
                throw invalid(
                        "output "
                                + metadata.outputName()
                                + " has shape "
                                + Arrays.toString(shape)
                                + " for "
                                + rows
                                + " rows");
            }
            // With two columns, column 1 is the positive class (classes are sorted: 0, 1).
            int offset = columns - 1;
            if (tensor.getInfo().type == OnnxJavaType.FLOAT) {
                FloatBuffer values = tensor.getFloatBuffer();
                for (int i = 0; i < rows; i++) {
                    p[i] = values.get(i * columns + offset);
                }
            } else {
                DoubleBuffer values = tensor.getDoubleBuffer();
                for (int i = 0; i < rows; i++) {
                    p[i] = values.get(i * columns + offset);
                }
            }
        } else if (value instanceof OnnxSequence sequence) {
            List<? extends OnnxValue> maps = sequence.getValue();
            if (maps.size() != rows) {
                throw invalid("ZipMap output has " + maps.size() + " maps for " + rows + " rows");
            }
            for (int i = 0; i < rows; i++) {
                p[i] = positiveClass(((OnnxMap) maps.get(i)).getValue());
            }
        } else {
            throw invalid("unexpected output value " + value.getInfo());
        }
        for (int i = 0; i < rows; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw invalid(
                        "output "
                                + metadata.outputName()
                                + " is not a probability: "
                                + p[i]
                                + " (a raw score or logit output?)");
            }
        }
        return p;
    }

    private double positiveClass(Map<?, ?> probabilities) {
        Object p = probabilities.get(1L);
        if (p == null) {
            p = probabilities.get("1");
        }
        if (!(p instanceof Number number)) {
            throw invalid(
                    "ZipMap output has no class 1 (keys "
                            + probabilities.keySet()
                            + "); Vigil expects labels 0 = legitimate, 1 = fraud");
        }
        return number.doubleValue();
    }

    private void checkWidth(float[] row) {
        if (row.length != width) {
            throw new IllegalArgumentException(
                    describe(metadata)
                            + " expects "
                            + width
                            + " features "
                            + metadata.input().featureNames()
                            + ", got "
                            + row.length);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(describe(metadata) + ": scorer is closed");
        }
    }

    private IllegalStateException inferenceFailed(OrtException e) {
        return new IllegalStateException(
                describe(metadata) + ": inference failed: " + e.getMessage(), e);
    }

    private InvalidModelException invalid(String problem) {
        return new InvalidModelException(describe(metadata) + ": " + problem);
    }

    private static boolean isReal(OnnxJavaType type) {
        return type == OnnxJavaType.FLOAT || type == OnnxJavaType.DOUBLE;
    }

    // [N], or [N, c] with c = 1, 2 or unknown until run (-1).
    private static boolean isProbabilityTensor(TensorInfo tensor) {
        long[] shape = tensor.getShape();
        return isReal(tensor.type)
                && (shape.length == 1
                        || (shape.length == 2
                                && (shape[1] == -1 || shape[1] == 1 || shape[1] == 2)));
    }

    private static boolean isZipMap(MapInfo map) {
        return map != null
                && (map.keyType == OnnxJavaType.INT64 || map.keyType == OnnxJavaType.STRING)
                && isReal(map.valueType);
    }

    private static FloatBuffer directFloats(int capacity) {
        return ByteBuffer.allocateDirect(capacity * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    private static String describe(ModelMetadata metadata) {
        return "model " + metadata.name() + " " + metadata.version();
    }

    private static void closeQuietly(OnnxScorer scorer, OrtSession session, Exception failure) {
        try {
            if (scorer != null) {
                scorer.close();
            } else {
                session.close();
            }
        } catch (OrtException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
