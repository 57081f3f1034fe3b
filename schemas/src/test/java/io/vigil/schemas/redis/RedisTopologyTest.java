package io.vigil.schemas.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.redis.RedisTopology.Address;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisTopologyTest {

    @Test
    void entriesTakeTheirOwnPortTheGivenOneOrTheDefaultOfTheirKind() {
        assertThat(RedisTopology.parse("r", null, false, null))
                .isEqualTo(RedisTopology.single("r", 6379));
        assertThat(RedisTopology.parse("r", 7000, false, null))
                .isEqualTo(RedisTopology.single("r", 7000));
        assertThat(RedisTopology.parse(" a:7000 , b ", null, true, null).addresses())
                .containsExactly(new Address("a", 7000), new Address("b", 6379));
        assertThat(RedisTopology.parse("s1,s2:5000", null, false, "main").addresses())
                .containsExactly(new Address("s1", 26379), new Address("s2", 5000));
    }

    @Test
    void ipv6AddressesTakeBracketsWithAPort() {
        assertThat(RedisTopology.parse("[::1]:7000,::1", null, true, null).addresses())
                .containsExactly(new Address("::1", 7000), new Address("::1", 6379));
        assertThat(RedisTopology.parse("[fe80::1]", null, false, null).addresses())
                .containsExactly(new Address("fe80::1", 6379));
        assertThat(new Address("::1", 7000)).hasToString("[::1]:7000");
        for (String bad : List.of("[::1", "[::1]7000", "[]:7000", ":7000", "a:", "a:x")) {
            assertThatThrownBy(() -> RedisTopology.parse(bad, null, true, null))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--redis-host entry");
        }
    }

    @Test
    void severalAddressesNeedAClusterOrSentinels() {
        assertThatThrownBy(() -> RedisTopology.parse("a,b", null, false, null))
                .hasMessageContaining("several Redis addresses ([a:6379, b:6379])")
                .hasMessageContaining("--redis-cluster")
                .hasMessageContaining("--redis-sentinel-primary");
        assertThatThrownBy(() -> RedisTopology.parse("a,b", null, true, "main"))
                .hasMessageContaining("a Redis Cluster has no Sentinel");
        assertThatThrownBy(() -> RedisTopology.parse("a", null, false, " "))
                .hasMessageContaining("primary name must not be blank");
        assertThatThrownBy(() -> RedisTopology.parse("a:1,a:1", null, true, null))
                .hasMessageContaining("named twice");
        assertThatThrownBy(() -> RedisTopology.parse(" ", 1, false, null))
                .hasMessage("redis host is required");
        assertThatThrownBy(() -> RedisTopology.parse("a:-1", null, false, null))
                .hasMessage("redis port must be in 1..65535, got -1 for a");
        assertThatThrownBy(() -> RedisTopology.single("a", 65_536))
                .hasMessage("redis port must be in 1..65535, got 65536 for a");
    }

    @Test
    void textNamesTheKindAndEveryAddress() {
        assertThat(RedisTopology.single("r", 1)).hasToString("Redis at r:1");
        assertThat(RedisTopology.parse("a:1,b:2", null, true, null))
                .hasToString("Redis Cluster at a:1,b:2");
        assertThat(RedisTopology.parse("a:1,b:2", null, false, "main"))
                .hasToString("Redis primary main of the Sentinels at a:1,b:2");
        assertThat(RedisTopology.parse("a:1,b:2", null, true, null).hosts()).isEqualTo("a:1,b:2");
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        RedisTopology topology = RedisTopology.parse("a:1,[::1]:2", null, false, "main");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(topology);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(topology);
        }
    }
}
