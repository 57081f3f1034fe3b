package io.vigil.features.records;

/**
 * A transaction with its features as they are computed: {@code terminalRisk} first (in {@code
 * FeatureViews.TERMINAL_RISK} order), then {@code customerSpending} (in {@code
 * FeatureViews.CUSTOMER_SPENDING} order); null until computed. One per transaction in the feature
 * log.
 *
 * <p>A Flink POJO with primitive arrays: no Kryo.
 */
public class TxFeatures {

    public TxEvent tx;
    public double[] terminalRisk;
    public double[] customerSpending;

    public TxFeatures() {}

    public TxFeatures(TxEvent tx, double[] terminalRisk) {
        this.tx = tx;
        this.terminalRisk = terminalRisk;
    }
}
