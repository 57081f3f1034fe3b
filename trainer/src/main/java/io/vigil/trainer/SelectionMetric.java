package io.vigil.trainer;

import io.vigil.trainer.evaluation.Evaluation;
import java.util.Locale;

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

    /**
     * Its name among a model's metrics, without the period's prefix: {@code auc_roc}, {@code
     * average_precision}, {@code card_precision_at_<k>}.
     */
    public String key(int k) {
        return this == CARD_PRECISION_AT_K
                ? "card_precision_at_" + k
                : name().toLowerCase(Locale.ROOT);
    }
}
