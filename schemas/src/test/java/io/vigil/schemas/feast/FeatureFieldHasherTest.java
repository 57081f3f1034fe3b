package io.vigil.schemas.feast;

import static io.vigil.schemas.feast.GoldenVectors.VECTORS;
import static io.vigil.schemas.feast.GoldenVectors.VIEW;
import static io.vigil.schemas.feast.GoldenVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureFieldHasherTest {

    @Test
    void matchesEveryGoldenHashField() {
        int features = 0;
        for (JsonNode f : VECTORS.path("hash_fields")) {
            if (f.path("hash_input").isNull()) {
                assertThat(hex(FeatureFieldHasher.timestampField(VIEW)))
                        .isEqualTo(f.path("field_hex").asText());
                continue;
            }
            features++;
            assertThat(f.path("hash_input").asText())
                    .isEqualTo(VIEW + ":" + f.path("feature").asText());
            byte[] field = FeatureFieldHasher.featureField(VIEW, f.path("feature").asText());
            assertThat(hex(field)).isEqualTo(f.path("field_hex").asText());
            long uint32 =
                    ByteBuffer.wrap(field).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            assertThat(uint32).isEqualTo(f.path("murmur3_x86_32_seed0_uint32").asLong());
        }
        assertThat(features).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource({
        "feature_view_1, feature_10, 266d5f39",
        "feature_view_1, feature_11, c3379abf",
        "feature_view_1, feature_12, 7772b564",
        "feature_view_1, my-feature-view:feature1, 5369864a"
    })
    void matchesFeastRedisTestVectors(String view, String feature, String hex) {
        assertThat(hex(FeatureFieldHasher.featureField(view, feature))).isEqualTo(hex);
    }
}
