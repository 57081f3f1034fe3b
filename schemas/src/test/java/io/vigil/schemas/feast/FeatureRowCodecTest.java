package io.vigil.schemas.feast;

import static io.vigil.schemas.feast.GoldenVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureRowCodecTest {
    private static final FeatureViewSpec VIEW = FeatureViews.CUSTOMER_SPENDING;

    private static FeatureRow row(double... values) {
        return new FeatureRow(VIEW.name(), "C1", 1_793_534_400_123L, 1_793_534_400_200L, values);
    }

    /** What HMGET would return after HSET of the encoded row. */
    private static List<byte[]> stored(FeatureRow row) {
        List<byte[]> reply =
                new ArrayList<>(Arrays.asList(FeatureRowCodec.encodeValues(VIEW, row)));
        reply.add(ProtoTimestampCodec.encodeEpochMillis(row.eventTimeMillis));
        return reply;
    }

    @Test
    void encodesEachFeatureWithItsDtype() {
        byte[][] values = FeatureRowCodec.encodeValues(VIEW, row(7, 123.45, 0, 0, 1, 61.725));
        assertThat(hex(values[0])).isEqualTo("2007");
        assertThat(hex(values[1])).isEqualTo("29cdccccccccdc5e40");
        assertThat(hex(values[2])).isEqualTo("2000");
        assertThat(hex(values[5])).isEqualTo("29cdccccccccdc4e40");
    }

    @Test
    void decodesWhatItEncodes() {
        FeatureRow row = row(3, 12.5, 10, 8.25, 40, 9.0);
        FeatureRow back = FeatureRowCodec.decode(VIEW, "C1", stored(row)).orElseThrow();
        assertThat(back.values).containsExactly(row.values);
        assertThat(back.eventTimeMillis).isEqualTo(row.eventTimeMillis);
        assertThat(back.viewName).isEqualTo(VIEW.name());
        assertThat(back.entityId).isEqualTo("C1");
        assertThat(back.ingestTimeMillis).isZero();
        assertThat(FeatureRowCodec.readFields(VIEW)).hasSize(7);
        assertThat(FeatureRowCodec.readFields(VIEW).get(6)).isEqualTo(VIEW.timestampField());
    }

    @Test
    void absentEntityAndMissingFeatures() {
        List<byte[]> none = new ArrayList<>(Arrays.asList(new byte[7][]));
        assertThat(FeatureRowCodec.decode(VIEW, "C9", none)).isEmpty();

        List<byte[]> partial = stored(row(1, 2, 3, 4, 5, 6));
        partial.set(1, null); // a field Feast never wrote
        partial.set(3, new byte[0]); // Feast's null Value
        assertThat(FeatureRowCodec.decode(VIEW, "C1", partial).orElseThrow().values)
                .containsExactly(1, Double.NaN, 3, Double.NaN, 5, 6);

        List<byte[]> noTs = stored(row(1, 2, 3, 4, 5, 6));
        noTs.set(6, null);
        assertThatThrownBy(() -> FeatureRowCodec.decode(VIEW, "C1", noTs))
                .hasMessageContaining("entity C1")
                .hasMessageContaining("without a _ts field");
    }

    @Test
    void errorsNameViewEntityAndFeature() {
        assertThatThrownBy(() -> FeatureRowCodec.encodeValues(VIEW, row(1.5, 2, 3, 4, 5, 6)))
                .hasMessageContaining("view customer_spending, entity C1, feature nb_tx_1d")
                .hasMessageContaining("1.5 is not a whole number");
        assertThatThrownBy(() -> FeatureRowCodec.encodeValues(VIEW, row(1, 2)))
                .hasMessageContaining("expected 6 values, got 2");
        FeatureRow other = row(1, 2, 3, 4, 5, 6);
        other.viewName = "terminal_risk";
        assertThatThrownBy(() -> FeatureRowCodec.encodeValues(VIEW, other))
                .hasMessageContaining(
                        "row of view 'terminal_risk' given to view 'customer_spending'");

        List<byte[]> wrongType = stored(row(1, 2, 3, 4, 5, 6));
        wrongType.set(0, FeastValueCodec.encode(FeastValue.ofDouble(1)));
        assertThatThrownBy(() -> FeatureRowCodec.decode(VIEW, "C1", wrongType))
                .hasMessageContaining("feature nb_tx_1d")
                .hasMessageContaining("stored DOUBLE value")
                .hasMessageContaining("the feature is INT64");
        assertThatThrownBy(() -> FeatureRowCodec.decode(VIEW, "C1", List.of()))
                .hasMessageContaining("expected 7 HMGET values, got 0");
    }

    @Test
    void rowCopiesAreDeep() {
        FeatureRow row = row(1, 2, 3, 4, 5, 6);
        FeatureRow copy = row.copy();
        assertThat(copy).isEqualTo(row).hasSameHashCodeAs(row);
        copy.values[0] = 9;
        assertThat(row.values[0]).isEqualTo(1);
        assertThat(copy).isNotEqualTo(row);
    }
}
