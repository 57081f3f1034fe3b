package io.vigil.scoring.models;

import io.vigil.models.ModelArtifact;
import io.vigil.models.ModelMetadata;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.scoring.features.ExactFeatureVector;
import java.util.List;

/**
 * A verified model version ready to score: its ONNX session and where each of its inputs sits in
 * the job's {@link ExactFeatureVector}.
 */
public final class LoadedModel implements AutoCloseable {

    private final ModelMetadata metadata;
    private final OnnxScorer scorer;
    private final int[] columns;
    private final float[] row;

    private LoadedModel(ModelMetadata metadata, OnnxScorer scorer, int[] columns) {
        this.metadata = metadata;
        this.scorer = scorer;
        this.columns = columns;
        this.row = new float[columns.length];
    }

    /**
     * Loads {@code artifact} (sha256 already checked) after checking that every input is a feature
     * the job computes; ONNX Runtime then checks the signature and runs a smoke inference.
     *
     * @throws IllegalArgumentException naming the inputs the job does not compute
     */
    public static LoadedModel load(ModelArtifact artifact) {
        ModelMetadata metadata = artifact.metadata();
        List<String> inputs = metadata.input().featureNames();
        int[] columns = new int[inputs.size()];
        StringBuilder unknown = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            columns[i] = ExactFeatureVector.NAMES.indexOf(inputs.get(i));
            if (columns[i] < 0) {
                unknown.append(unknown.length() == 0 ? "" : ", ").append(inputs.get(i));
            }
        }
        if (unknown.length() > 0) {
            throw new IllegalArgumentException(
                    metadata.name()
                            + " "
                            + metadata.version()
                            + " needs features the scoring job does not compute: "
                            + unknown);
        }
        return new LoadedModel(metadata, OnnxScorer.load(artifact), columns);
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** The fraud probability for a full {@link ExactFeatureVector}. Not thread-safe. */
    public double score(double[] vector) {
        for (int i = 0; i < columns.length; i++) {
            row[i] = (float) vector[columns[i]];
        }
        return scorer.score(row);
    }

    /** The decision {@code score} gets under this version's bands. */
    public DecisionOutcome outcome(double score) {
        return metadata.decisionBands().outcome(score);
    }

    @Override
    public void close() {
        scorer.close();
    }
}
