package io.vigil.models;

import io.vigil.schemas.DecisionOutcome;

/**
 * How a model version's fraud probability becomes a decision: below {@code reviewFrom} approve,
 * from {@code reviewFrom} review, from {@code declineFrom} decline. Bands belong to a version
 * because a score's meaning does: a retrained model with another calibration needs other cut-offs.
 *
 * <p>Equal bounds leave out the review band ({@code (0.7, 0.7)}: approve or decline); {@code
 * declineFrom} 1 declines only a score of exactly 1.
 *
 * @param reviewFrom lowest score sent to review, in [0, declineFrom]
 * @param declineFrom lowest score declined, in [reviewFrom, 1]
 */
public record DecisionBands(double reviewFrom, double declineFrom) {

    public static final String APPROVE = "approve";
    public static final String REVIEW = "review";
    public static final String DECLINE = "decline";

    /**
     * Review from 0.5, decline from 0.9. The trainers weight the classes to equal total weight
     * ("balanced"), so 0.5 is where a version finds fraud as likely as not and is its natural
     * review threshold; a decline blocks a customer, so it waits for a score the model gives few
     * legitimate transactions. Deployments tune both per version from the validation period (the
     * analysts' capacity sets the review band, the cost of a false decline the other).
     */
    public static final DecisionBands DEFAULT = new DecisionBands(0.5, 0.9);

    public DecisionBands {
        if (!(0 <= reviewFrom && reviewFrom <= declineFrom && declineFrom <= 1)) {
            throw new IllegalArgumentException(
                    "decision bands need 0 <= review_from <= decline_from <= 1, got review_from "
                            + reviewFrom
                            + ", decline_from "
                            + declineFrom);
        }
    }

    /**
     * The band of a fraud probability: {@link #APPROVE}, {@link #REVIEW} or {@link #DECLINE}.
     *
     * @throws IllegalArgumentException if {@code score} is not a probability (NaN, outside [0, 1])
     */
    public String band(double score) {
        return switch (outcome(score)) {
            case APPROVE -> APPROVE;
            case REVIEW -> REVIEW;
            case DECLINE -> DECLINE;
        };
    }

    /** The band of {@code score} as the {@code Decision} record's outcome. */
    public DecisionOutcome outcome(double score) {
        if (!(0 <= score && score <= 1)) {
            throw new IllegalArgumentException(
                    "a fraud score must be a probability in [0, 1], got " + score);
        }
        if (score >= declineFrom) {
            return DecisionOutcome.DECLINE;
        }
        return score >= reviewFrom ? DecisionOutcome.REVIEW : DecisionOutcome.APPROVE;
    }

    @Override
    public String toString() {
        return "approve < " + reviewFrom + " <= review < " + declineFrom + " <= decline";
    }
}
