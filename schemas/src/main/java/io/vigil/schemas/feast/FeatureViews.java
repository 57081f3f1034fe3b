package io.vigil.schemas.feast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The v1 feature views (see docs: Fraud Detection Handbook, chapter 3). Their names and feature
 * names must equal those in {@code infra/feast/features.py}; the Feast compat test checks it.
 */
public final class FeatureViews {

    /** Per customer, counts and mean amounts over (t − w, t] for w = 1, 7, 30 days. */
    public static final FeatureViewSpec CUSTOMER_SPENDING =
            new FeatureViewSpec(
                    "customer_spending",
                    1,
                    "customer_id",
                    FeastType.STRING,
                    List.of(
                            new FeatureSpec("nb_tx_1d", FeastType.INT64),
                            new FeatureSpec("avg_amount_1d", FeastType.DOUBLE),
                            new FeatureSpec("nb_tx_7d", FeastType.INT64),
                            new FeatureSpec("avg_amount_7d", FeastType.DOUBLE),
                            new FeatureSpec("nb_tx_30d", FeastType.INT64),
                            new FeatureSpec("avg_amount_30d", FeastType.DOUBLE)));

    /** Per terminal, counts and fraud shares over (t − (7d + w), t − 7d] for w = 1, 7, 30 days. */
    public static final FeatureViewSpec TERMINAL_RISK =
            new FeatureViewSpec(
                    "terminal_risk",
                    1,
                    "terminal_id",
                    FeastType.STRING,
                    List.of(
                            new FeatureSpec("nb_tx_1d", FeastType.INT64),
                            new FeatureSpec("risk_1d", FeastType.DOUBLE),
                            new FeatureSpec("nb_tx_7d", FeastType.INT64),
                            new FeatureSpec("risk_7d", FeastType.DOUBLE),
                            new FeatureSpec("nb_tx_30d", FeastType.INT64),
                            new FeatureSpec("risk_30d", FeastType.DOUBLE)));

    public static final List<FeatureViewSpec> ALL = List.of(CUSTOMER_SPENDING, TERMINAL_RISK);

    private FeatureViews() {}

    public static FeatureViewSpec byName(String name) {
        for (FeatureViewSpec v : ALL) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown feature view '"
                        + name
                        + "'; known: "
                        + ALL.stream()
                                .map(FeatureViewSpec::name)
                                .collect(Collectors.joining(", ")));
    }
}
