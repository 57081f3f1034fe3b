package io.vigil.schemas.feast;

import static io.vigil.schemas.feast.GoldenVectors.PROJECT;
import static io.vigil.schemas.feast.GoldenVectors.VECTORS;
import static io.vigil.schemas.feast.GoldenVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EntityKeySerializerTest {

    static Stream<JsonNode> keyVectors() {
        List<JsonNode> keys = new ArrayList<>();
        VECTORS.path("keys").forEach(keys::add);
        assertThat(keys).hasSize(2);
        return keys.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyVectors")
    void matchesGoldenKeysInV3AndV2(JsonNode vector) {
        EntityKey key = entityKey(vector);
        for (String version : List.of("v3", "v2")) {
            EntityKeySerializer serializer = EntityKeySerializer.valueOf(version.toUpperCase());
            JsonNode want = vector.path(version);
            assertThat(hex(serializer.serialize(key)))
                    .as(version)
                    .isEqualTo(want.path("serialized_entity_key_hex").asText());
            byte[] redisKey = RedisKeys.key(key, PROJECT, serializer);
            assertThat(hex(redisKey)).as(version).isEqualTo(want.path("redis_key_hex").asText());
            assertThat(redisKey).hasSize(want.path("redis_key_len").asInt());
        }
        assertThat(RedisKeys.key(key, PROJECT))
                .as("v3 is the default")
                .isEqualTo(RedisKeys.key(key, PROJECT, EntityKeySerializer.V3));
    }

    @Test
    void sortsJoinKeysByName() {
        // Given unsorted, as in the golden file: [merchant_id='m-9', card_id=42].
        EntityKey key =
                new EntityKey(
                        List.of("merchant_id", "card_id"),
                        List.of(FeastValue.ofString("m-9"), FeastValue.ofInt64(42)));
        JsonNode multi = VECTORS.path("multi_key_example");
        assertThat(hex(RedisKeys.key(key, PROJECT, EntityKeySerializer.V3)))
                .isEqualTo(multi.path("v3").path("redis_key_hex").asText());
        assertThat(hex(RedisKeys.key(key, PROJECT, EntityKeySerializer.V2)))
                .isEqualTo(multi.path("v2").path("redis_key_hex").asText());
    }

    @Test
    void matchesFeastOwnTestVectors() {
        // feast test_redis _generate_redis_keys_for_entities and go Test_serializeEntityKey.
        assertThat(hex(RedisKeys.key(EntityKey.of("entity", FeastValue.ofInt32(1)), "test")))
                .isEqualTo("010000000200000006000000656e7469747903000000040000000100000074657374");
        assertThat(
                        hex(
                                EntityKeySerializer.V3.serialize(
                                        EntityKey.of("driver_id", FeastValue.ofInt64(1001)))))
                .isEqualTo(
                        "0100000002000000090000006472697665725f69640400000008000000e903000000000000");
    }

    @Test
    void rejectsKeysFeastCannotSerialize() {
        assertThatThrownBy(() -> EntityKey.of("amount", FeastValue.ofDouble(1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount")
                .hasMessageContaining("DOUBLE");
        assertThatThrownBy(
                        () ->
                                new EntityKey(
                                        List.of("a", "a"),
                                        List.of(
                                                FeastValue.ofString("x"),
                                                FeastValue.ofString("y"))))
                .hasMessageContaining("duplicate join key");
        assertThatThrownBy(() -> new EntityKey(List.of("a"), List.of()))
                .hasMessageContaining("as many values as join keys");
        assertThatThrownBy(() -> RedisKeys.key(EntityKey.of("a", FeastValue.ofString("x")), ""))
                .hasMessageContaining("project");
    }

    private static EntityKey entityKey(JsonNode vector) {
        List<String> joinKeys = new ArrayList<>();
        vector.path("join_keys").forEach(k -> joinKeys.add(k.asText()));
        List<FeastValue> values = new ArrayList<>();
        for (JsonNode v : vector.path("values")) {
            values.add(
                    switch (v.path("kind").asText()) {
                        case "int64_val" -> FeastValue.ofInt64(v.path("value").asLong());
                        case "string_val" -> FeastValue.ofString(v.path("value").asText());
                        default -> throw new IllegalStateException("kind " + v);
                    });
        }
        return new EntityKey(joinKeys, values);
    }
}
