package io.vigil.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.FeatureVector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CSV layout of the feature log and its order. */
class FeaturesCsvTest {

    private static final Instant T = Instant.parse("2018-04-01T00:00:31Z");

    @Test
    void headerNamesTheFourIdsAndTheFifteenV1Features() {
        assertThat(FeaturesCsv.header())
                .isEqualTo(
                        "transaction_id,event_time,customer_id,terminal_id,request:tx_amount,"
                                + "request:tx_during_weekend,request:tx_during_night,"
                                + "customer_spending:nb_tx_1d,customer_spending:avg_amount_1d,"
                                + "customer_spending:nb_tx_7d,customer_spending:avg_amount_7d,"
                                + "customer_spending:nb_tx_30d,customer_spending:avg_amount_30d,"
                                + "terminal_risk:nb_tx_1d,terminal_risk:risk_1d,"
                                + "terminal_risk:nb_tx_7d,terminal_risk:risk_7d,"
                                + "terminal_risk:nb_tx_30d,terminal_risk:risk_30d");
    }

    @Test
    void integersPrintAsIntegersDecimalsExactlyAndMissingFeaturesAsEmptyCells() {
        Map<String, Double> features = new HashMap<>();
        FeaturesCsv.FEATURES.forEach(f -> features.put(f.name(), 1.0));
        features.put("request:tx_amount", 57.16);
        features.put("customer_spending:avg_amount_7d", 1.0 / 3);
        features.put("customer_spending:nb_tx_30d", 42.0);
        features.remove("terminal_risk:risk_30d");

        FeaturesCsv.Row row = FeaturesCsv.row(vector("17", T, "cust,1", features));

        assertThat(row.line())
                .isEqualTo(
                        "17,2018-04-01T00:00:31Z,\"cust,1\",t9,57.16,1,1,1,1.0,1,0.3333333333333333,"
                                + "42,1.0,1,1.0,1,1.0,1,");
        assertThat(row.missing()).isEqualTo(1);
    }

    @Test
    void sortsByEventTimeThenNumericIdThenOtherIds() {
        Instant later = T.plusMillis(1);
        List<FeaturesCsv.Row> rows = new ArrayList<>();
        for (String id : List.of("10", "b", "9", "a", "100")) {
            rows.add(FeaturesCsv.row(vector(id, T, "c", Map.of())));
        }
        rows.add(FeaturesCsv.row(vector("1", later, "c", Map.of())));

        rows.sort(FeaturesCsv.ORDER);

        assertThat(rows)
                .extracting(r -> r.line().substring(0, r.line().indexOf(',')))
                .containsExactly("9", "10", "100", "a", "b", "1");
    }

    @Test
    void quotesCellsThatNeedIt() {
        assertThat(FeaturesCsv.cell("plain")).isEqualTo("plain");
        assertThat(FeaturesCsv.cell("say \"hi\", twice")).isEqualTo("\"say \"\"hi\"\", twice\"");
        assertThat(FeaturesCsv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    private static FeatureVector vector(
            String id, Instant t, String customer, Map<String, Double> features) {
        return FeatureVector.newBuilder()
                .setTransactionId(id)
                .setEventTime(t)
                .setCustomerId(customer)
                .setTerminalId("t9")
                .setFeatures(features)
                .setFeatureViewVersions(Map.of("customer_spending", 1, "terminal_risk", 1))
                .build();
    }
}
