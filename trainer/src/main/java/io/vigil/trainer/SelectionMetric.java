package io.vigil.trainer;

import io.vigil.trainer.evaluation.Evaluation;

/** What model selection maximises on the validation period. */
public enum SelectionMetric {
    AUC_ROC,
    AVERAGE_PRECISION,
    CARD_PRECISION_AT_K;

    public double of(Evaluation evaluation) {
        return switch (this) {
            case AUC_ROC -> evaluation.aucRoc();
            case AVERAGE_PRECISION -> evaluation.averagePrecision();
            case CARD_PRECISION_AT_K -> evaluation.cardPrecision().mean();
        };
    }
}
