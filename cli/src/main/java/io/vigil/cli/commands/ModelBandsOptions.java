package io.vigil.cli.commands;

import io.vigil.models.DecisionBands;
import picocli.CommandLine.Option;

/**
 * {@code --review-from} and {@code --decline-from}: the decision bands recorded with a new version.
 * A bound not given keeps its {@link DecisionBands#DEFAULT} value.
 */
public final class ModelBandsOptions {

    @Option(
            names = "--review-from",
            paramLabel = "SCORE",
            description = "Scores from this one on are sent to review (default: 0.5).")
    Double reviewFrom;

    @Option(
            names = "--decline-from",
            paramLabel = "SCORE",
            description = "Scores from this one on are declined (default: 0.9).")
    Double declineFrom;

    /** Whether either bound was given. */
    boolean given() {
        return reviewFrom != null || declineFrom != null;
    }

    /**
     * The bands, validated.
     *
     * @throws IllegalArgumentException naming the options when they are out of order or range
     */
    DecisionBands bands() {
        try {
            return new DecisionBands(
                    reviewFrom != null ? reviewFrom : DecisionBands.DEFAULT.reviewFrom(),
                    declineFrom != null ? declineFrom : DecisionBands.DEFAULT.declineFrom());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--review-from/--decline-from: " + e.getMessage(), e);
        }
    }
}
