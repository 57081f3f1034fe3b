package io.vigil.schemas.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureViewsTest {

    @Test
    void definesTheV1Views() {
        FeatureViewSpec cs = FeatureViews.CUSTOMER_SPENDING;
        assertThat(cs.name()).isEqualTo("customer_spending");
        assertThat(cs.entityJoinKey()).isEqualTo("customer_id");
        assertThat(cs.entityType()).isEqualTo(FeastType.STRING);
        assertThat(cs.features())
                .extracting(FeatureSpec::name)
                .containsExactly(
                        "nb_tx_1d",
                        "avg_amount_1d",
                        "nb_tx_7d",
                        "avg_amount_7d",
                        "nb_tx_30d",
                        "avg_amount_30d");
        assertThat(FeatureViews.TERMINAL_RISK.features())
                .extracting(FeatureSpec::name)
                .containsExactly(
                        "nb_tx_1d", "risk_1d", "nb_tx_7d", "risk_7d", "nb_tx_30d", "risk_30d");
        for (FeatureViewSpec v : FeatureViews.ALL) {
            assertThat(v.version()).isEqualTo(1);
            assertThat(v.features())
                    .extracting(FeatureSpec::type)
                    .containsExactly(
                            FeastType.INT64,
                            FeastType.DOUBLE,
                            FeastType.INT64,
                            FeastType.DOUBLE,
                            FeastType.INT64,
                            FeastType.DOUBLE);
            assertThat(FeatureViews.byName(v.name())).isSameAs(v);
        }
    }

    @Test
    void precomputesFieldsAndKeys() {
        FeatureViewSpec v = FeatureViews.TERMINAL_RISK;
        assertThat(v.featureField(1))
                .isEqualTo(FeatureFieldHasher.featureField("terminal_risk", "risk_1d"));
        assertThat(v.timestampField())
                .isEqualTo(FeatureFieldHasher.timestampField("terminal_risk"));
        assertThat(v.redisKey("T42", "vigil"))
                .isEqualTo(
                        RedisKeys.key(
                                EntityKey.of("terminal_id", FeastValue.ofString("T42")), "vigil"));
        assertThat(new String(v.historyTimestampField(), StandardCharsets.UTF_8))
                .isEqualTo("_vigil_ts:terminal_risk");
        assertThat(new String(v.historyField(), StandardCharsets.UTF_8))
                .isEqualTo("_vigil_history:terminal_risk");
        v.historyField()[0] ^= 1;
        assertThat(v.historyField()).isEqualTo(FeatureFieldHasher.historyField("terminal_risk"));
        v.featureField(0)[0] ^= 1; // callers get copies
        assertThat(v.featureField(0))
                .isEqualTo(FeatureFieldHasher.featureField("terminal_risk", "nb_tx_1d"));
    }

    @Test
    void parsesNumericEntityIds() {
        FeatureViewSpec v =
                new FeatureViewSpec(
                        "card",
                        2,
                        "card_id",
                        FeastType.INT64,
                        List.of(new FeatureSpec("n", FeastType.INT64)));
        assertThat(v.entityKey("42")).isEqualTo(EntityKey.of("card_id", FeastValue.ofInt64(42)));
        assertThatThrownBy(() -> v.entityKey("C42"))
                .hasMessageContaining("card")
                .hasMessageContaining("'C42' is not an INT64");
    }

    @Test
    void rejectsInvalidViews() {
        List<FeatureSpec> one = List.of(new FeatureSpec("n", FeastType.INT64));
        assertThatThrownBy(() -> new FeatureViewSpec("v", 0, "id", FeastType.STRING, one))
                .hasMessageContaining("version must be >= 1");
        assertThatThrownBy(() -> new FeatureViewSpec("v", 1, "id", FeastType.DOUBLE, one))
                .hasMessageContaining("entity type");
        assertThatThrownBy(() -> new FeatureViewSpec("v", 1, "id", FeastType.STRING, List.of()))
                .hasMessageContaining("needs features");
        assertThatThrownBy(
                        () ->
                                new FeatureViewSpec(
                                        "v",
                                        1,
                                        "id",
                                        FeastType.STRING,
                                        List.of(
                                                new FeatureSpec("n", FeastType.INT64),
                                                new FeatureSpec("n", FeastType.DOUBLE))))
                .hasMessageContaining("duplicate feature n");
        assertThatThrownBy(() -> FeatureViews.byName("nope"))
                .hasMessageContaining("unknown feature view 'nope'")
                .hasMessageContaining("customer_spending, terminal_risk");
    }
}
