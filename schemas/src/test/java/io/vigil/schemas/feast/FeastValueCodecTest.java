package io.vigil.schemas.feast;

import static io.vigil.schemas.feast.GoldenVectors.VECTORS;
import static io.vigil.schemas.feast.GoldenVectors.hex;
import static io.vigil.schemas.feast.GoldenVectors.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FeastValueCodecTest {

    @Test
    void matchesEveryGoldenFeatureValue() {
        int checked = 0;
        for (JsonNode f : VECTORS.path("hash_fields")) {
            FeastValue v =
                    switch (f.path("value_kind").asText()) {
                        case "int64_val" -> FeastValue.ofInt64(f.path("value").asLong());
                        case "double_val" -> FeastValue.ofDouble(f.path("value").asDouble());
                        default -> null; // the _ts field: see ProtoTimestampCodecTest
                    };
            if (v == null) {
                continue;
            }
            String want = f.path("value_hex").asText();
            assertThat(hex(FeastValueCodec.encode(v)))
                    .as(f.path("feature").asText())
                    .isEqualTo(want);
            assertThat(FeastValueCodec.decode(unhex(want))).contains(v);
            checked++;
        }
        assertThat(checked).isEqualTo(3);
    }

    @Test
    void matchesFeastDocsFloatVector() {
        FeastValue v = FeastValue.ofFloat(0.9273980259895325f);
        assertThat(hex(FeastValueCodec.encode(v))).isEqualTo("35f5696d3f");
        assertThat(FeastValueCodec.decode(unhex("35f5696d3f"))).contains(v);
    }

    static Stream<FeastValue> values() {
        return Stream.of(
                FeastValue.ofInt64(0),
                FeastValue.ofInt64(-1),
                FeastValue.ofInt64(Long.MAX_VALUE),
                FeastValue.ofInt64(Long.MIN_VALUE),
                FeastValue.ofInt32(0),
                FeastValue.ofInt32(-7),
                FeastValue.ofInt32(Integer.MAX_VALUE),
                FeastValue.ofDouble(0.0),
                FeastValue.ofDouble(-0.0),
                FeastValue.ofDouble(Double.NaN),
                FeastValue.ofDouble(Double.MIN_VALUE),
                FeastValue.ofDouble(Double.NEGATIVE_INFINITY),
                FeastValue.ofFloat(-1.25f),
                FeastValue.ofBool(true),
                FeastValue.ofBool(false),
                FeastValue.ofString(""),
                FeastValue.ofString("Zürich €, 東京 \uD83D\uDE00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void roundTrips(FeastValue v) {
        assertThat(FeastValueCodec.decode(FeastValueCodec.encode(v))).contains(v);
    }

    @Test
    void writesDefaultsAndNegativesAsProtobufDoes() {
        // Oneof members have presence: a zero is still written.
        assertThat(hex(FeastValueCodec.encode(FeastValue.ofInt64(0)))).isEqualTo("2000");
        assertThat(hex(FeastValueCodec.encode(FeastValue.ofBool(false)))).isEqualTo("3800");
        // Negative int32 is sign-extended to a 10-byte varint.
        assertThat(hex(FeastValueCodec.encode(FeastValue.ofInt32(-1))))
                .isEqualTo("18ffffffffffffffffff01");
        assertThat(hex(FeastValueCodec.encode(FeastValue.ofString("ab")))).isEqualTo("12026162");
    }

    @Test
    void emptyValueIsFeastNull() {
        assertThat(FeastValueCodec.decode(new byte[0])).isEmpty();
    }

    @Test
    void lastMemberWinsAsInProtobuf() {
        assertThat(FeastValueCodec.decode(unhex("20073801"))).contains(FeastValue.ofBool(true));
    }

    @Test
    void rejectsMalformedAndUnsupportedValues() {
        for (String bad : List.of("20", "2080", "29cdcccc", "1205616263")) {
            assertThatThrownBy(() -> FeastValueCodec.decode(unhex(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("malformed feast.types.Value")
                    .hasMessageContaining(bad);
        }
        // bytes_val (field 1) and int64_list_val (field 14) are not scalar types Vigil reads.
        assertThatThrownBy(() -> FeastValueCodec.decode(unhex("0a0101")))
                .hasMessageContaining("unsupported field 1");
        assertThatThrownBy(() -> FeastValueCodec.decode(unhex("7200")))
                .hasMessageContaining("unsupported field 14");
        // int64_val with the wrong wire type.
        assertThatThrownBy(() -> FeastValueCodec.decode(unhex("2101000000")))
                .hasMessageContaining("unsupported field 4 with wire type 1");
    }

    @Test
    void convertsNumbersCarriedAsDoubles() {
        assertThat(FeastValue.fromDouble(FeastType.INT64, 42.0)).isEqualTo(FeastValue.ofInt64(42));
        assertThat(FeastValue.fromDouble(FeastType.INT32, -3)).isEqualTo(FeastValue.ofInt32(-3));
        assertThat(FeastValue.fromDouble(FeastType.BOOL, 1)).isEqualTo(FeastValue.ofBool(true));
        assertThat(FeastValue.fromDouble(FeastType.FLOAT, 0.5)).isEqualTo(FeastValue.ofFloat(0.5f));
        assertThat(FeastValue.ofBool(true).toDouble()).isEqualTo(1.0);
        assertThat(FeastValue.ofInt64(7).toDouble()).isEqualTo(7.0);
        assertThatThrownBy(() -> FeastValue.fromDouble(FeastType.INT64, 1.5))
                .hasMessageContaining("1.5 is not a whole number");
        assertThatThrownBy(() -> FeastValue.fromDouble(FeastType.INT64, Double.NaN))
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> FeastValue.fromDouble(FeastType.INT64, 0x1p63))
                .hasMessageContaining("INT64 range");
        assertThatThrownBy(() -> FeastValue.fromDouble(FeastType.INT32, 1e10))
                .hasMessageContaining("INT32 range");
        assertThatThrownBy(() -> FeastValue.fromDouble(FeastType.BOOL, 2))
                .hasMessageContaining("not a BOOL");
        assertThatThrownBy(() -> FeastValue.fromDouble(FeastType.STRING, 1))
                .hasMessageContaining("STRING");
        assertThatThrownBy(() -> new FeastValue(FeastType.INT64, 1))
                .hasMessageContaining("needs a Long, got Integer");
    }
}
