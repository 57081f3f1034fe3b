package io.vigil.schemas.feast;

import static io.vigil.schemas.feast.GoldenVectors.VECTORS;
import static io.vigil.schemas.feast.GoldenVectors.hex;
import static io.vigil.schemas.feast.GoldenVectors.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtoTimestampCodecTest {

    @Test
    void matchesGoldenTimestamp() {
        JsonNode ts = null;
        for (JsonNode f : VECTORS.path("hash_fields")) {
            if (f.path("value_kind").asText().equals("google.protobuf.Timestamp")) {
                ts = f;
            }
        }
        assertThat(ts).isNotNull();
        Instant t = Instant.parse(VECTORS.path("event_timestamp").asText());
        assertThat(t.getEpochSecond()).isEqualTo(ts.path("value").path("seconds").asLong());
        assertThat(hex(ProtoTimestampCodec.encode(t))).isEqualTo(ts.path("value_hex").asText());
        assertThat(hex(ProtoTimestampCodec.encodeEpochMillis(t.toEpochMilli())))
                .isEqualTo(ts.path("value_hex").asText());
        assertThat(ProtoTimestampCodec.decode(unhex(ts.path("value_hex").asText()))).isEqualTo(t);
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 999L, 1_000L, 1_793_534_400_123L, 4_102_444_800_001L})
    void roundTripsEpochMillis(long millis) {
        byte[] bytes = ProtoTimestampCodec.encodeEpochMillis(millis);
        assertThat(ProtoTimestampCodec.decode(bytes).toEpochMilli()).isEqualTo(millis);
    }

    @Test
    void omitsZeroFieldsAndWritesNanos() {
        assertThat(ProtoTimestampCodec.encode(0, 0)).isEmpty();
        // 123 ms = 123000000 ns = varint c0 a9 d3 3a.
        assertThat(hex(ProtoTimestampCodec.encode(1, 123_000_000))).isEqualTo("080110c0a9d33a");
        assertThat(hex(ProtoTimestampCodec.encode(0, 5))).isEqualTo("1005");
    }

    @Test
    void rejectsMalformedTimestamps() {
        assertThatThrownBy(() -> ProtoTimestampCodec.decode(unhex("08")))
                .hasMessageContaining("malformed google.protobuf.Timestamp")
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> ProtoTimestampCodec.decode(unhex("1801")))
                .hasMessageContaining("unexpected tag 24");
        assertThatThrownBy(() -> ProtoTimestampCodec.decode(unhex("108094ebdc03")))
                .hasMessageContaining("nanos out of range");
        assertThatThrownBy(() -> ProtoTimestampCodec.encode(1, -1)).hasMessageContaining("nanos");
    }
}
