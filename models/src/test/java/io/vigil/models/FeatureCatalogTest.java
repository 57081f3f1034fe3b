package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.feast.FeastType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureCatalogTest {

    private final FeatureCatalog catalog = FeatureCatalog.v1();

    @Test
    void defaultSignatureIsTheHandbooksFifteenInputs() {
        InputSignature signature = catalog.defaultSignature("x");
        assertThat(signature.featureNames())
                .containsExactly(
                        "request:tx_amount",
                        "request:tx_during_weekend",
                        "request:tx_during_night",
                        "customer_spending:nb_tx_1d",
                        "customer_spending:avg_amount_1d",
                        "customer_spending:nb_tx_7d",
                        "customer_spending:avg_amount_7d",
                        "customer_spending:nb_tx_30d",
                        "customer_spending:avg_amount_30d",
                        "terminal_risk:nb_tx_1d",
                        "terminal_risk:risk_1d",
                        "terminal_risk:nb_tx_7d",
                        "terminal_risk:risk_7d",
                        "terminal_risk:nb_tx_30d",
                        "terminal_risk:risk_30d");
        assertThat(signature.featureViewVersions())
                .isEqualTo(Map.of("customer_spending", 1, "terminal_risk", 1));
        assertThat(signature.features().get(3).type()).isEqualTo(FeastType.INT64);
        catalog.validate("m", signature);
    }

    @Test
    void namesEveryUnknownFeature() {
        assertThatThrownBy(
                        () ->
                                catalog.signature(
                                        "x",
                                        List.of(
                                                "request:tx_amount",
                                                "request:tx_colour",
                                                "terminal_risk:risk_2d",
                                                "nb_tx_1d")))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("request:tx_colour: no such request feature")
                .hasMessageContaining("terminal_risk v1 has no feature risk_2d")
                .hasMessageContaining("'nb_tx_1d' is not 'view:feature'");
    }

    @Test
    void refusesATypeTheViewDoesNotHave() {
        InputSignature wrongType =
                new InputSignature(
                        "x",
                        List.of(new ModelFeature("customer_spending:nb_tx_1d", FeastType.DOUBLE)),
                        Map.of("customer_spending", 1));
        assertThatThrownBy(() -> catalog.validate("m", wrongType))
                .hasMessageContaining(
                        "customer_spending:nb_tx_1d is INT64, the signature says DOUBLE");
        InputSignature noVersion =
                new InputSignature(
                        "x",
                        List.of(new ModelFeature("customer_spending:nb_tx_1d", FeastType.INT64)),
                        Map.of());
        assertThatThrownBy(() -> catalog.validate("m", noVersion))
                .hasMessageContaining("no version given for feature view customer_spending");
    }
}
