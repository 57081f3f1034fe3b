package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.kafka.KafkaClientSettings;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTopology;
import io.vigil.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringJobConfigTest {

    @TempDir Path dir;

    private static final String[] REQUIRED = {
        "--bootstrap-servers", "k:9092", "--redis-host", "r", "--redis-port", "6379"
    };

    private static ScoringJobConfig parse(String... extra) {
        String[] args = new String[REQUIRED.length + extra.length];
        System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
        System.arraycopy(extra, 0, args, REQUIRED.length, extra.length);
        return ScoringJobConfig.parse(args);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ScoringJobConfig c = parse();
        assertThat(c.topics().transactions()).isEqualTo("vigil.transactions");
        assertThat(c.topics().decisions()).isEqualTo("vigil.decisions");
        assertThat(c.model()).isEqualTo("fraud");
        assertThat(c.recentHorizon()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.redis().timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.asyncTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.fallbackReviewAmountMinorUnits()).isEqualTo(22_000);
        assertThat(c.decisionDelivery()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(c.bufferTimeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(c.metricsPort()).isEqualTo(9260);
    }

    @Test
    void parsesEveryKindOfOption() {
        ScoringJobConfig c =
                parse(
                        "--starting-offsets",
                        "latest",
                        "--fallback-review-amount",
                        "99.5",
                        "--decision-delivery",
                        "exactly-once",
                        "--recent-horizon",
                        "3d");
        assertThat(c.startingOffsets()).isEqualTo(ScoringJobConfig.StartingOffsets.LATEST);
        assertThat(c.fallbackReviewAmountMinorUnits()).isEqualTo(9_950);
        assertThat(c.decisionDelivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(c.recentHorizon()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void rejectsBadInputNamingTheOption() {
        assertThatThrownBy(() -> ScoringJobConfig.parse("--redis-host", "r", "--redis-port", "1"))
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(() -> parse("--nope", "1")).hasMessageContaining("--nope");
        assertThatThrownBy(() -> parse("--redis-timeout", "soon"))
                .hasMessageContaining("--redis-timeout");
        assertThatThrownBy(() -> parse("--async-timeout", "0ms"))
                .hasMessageContaining("--async-timeout");
        assertThatThrownBy(() -> parse("--decision-delivery", "none"))
                .hasMessageContaining("--decision-delivery");
        assertThatThrownBy(() -> parse("--fallback-review-amount", "1.234"))
                .hasMessageContaining("2 decimals");
        // Given once: a second --redis-port would fail in picocli, not in the range check.
        assertThatThrownBy(
                        () ->
                                ScoringJobConfig.parse(
                                        "--bootstrap-servers", "k:9092",
                                        "--redis-host", "r",
                                        "--redis-port", "70000"))
                .hasMessageContaining("redis port must be in 1..65535, got 70000 for r");
    }

    @Test
    void redisHostNamesSeveralSeedNodesOrSentinels() {
        assertThat(parse().redis().topology()).isEqualTo(RedisTopology.single("r", 6379));
        assertThat(redis("a:7000,b", "--redis-cluster").topology().hosts())
                .isEqualTo("a:7000,b:6379");
        assertThat(redis("s1,s2", "--redis-sentinel-primary", "main").topology())
                .isEqualTo(RedisTopology.parse("s1:26379,s2:26379", null, false, "main"));
        assertThatThrownBy(() -> redis("a,b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("several Redis addresses");
    }

    private static ScoringJobConfig.Redis redis(String hosts, String... extra) {
        List<String> args =
                new ArrayList<>(List.of("--bootstrap-servers", "k:9092", "--redis-host", hosts));
        args.addAll(List.of(extra));
        return ScoringJobConfig.parse(args.toArray(String[]::new)).redis();
    }

    @Test
    void kafkaPropertiesComeFromTheFileAndTravelWithTheJob() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nlinger.ms=5\n");

        ScoringJobConfig c = parse("--kafka-properties", file.toString());

        Map<String, String> expected =
                Map.of(
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "SCRAM-SHA-512",
                        "linger.ms", "5");
        assertThat(c.kafkaProperties().values()).isEqualTo(expected);
        assertThat(c.kafkaProperties().properties()).isEqualTo(expected);
        // Flink ships the config inside the job graph.
        ScoringJobConfig shipped =
                InstantiationUtil.clone(c, ScoringJobConfigTest.class.getClassLoader());
        assertThat(shipped.kafkaProperties()).isEqualTo(c.kafkaProperties());
        assertThat(parse().kafkaProperties()).isEqualTo(KafkaClientSettings.NONE);
    }

    @Test
    void aBadKafkaPropertiesFileFailsTheStart() throws Exception {
        Path missing = dir.resolve("missing.properties");
        assertThatThrownBy(() -> parse("--kafka-properties", missing.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the Kafka client properties file " + missing);

        Path managed = dir.resolve("managed.properties");
        Files.writeString(managed, "security.protocol=SSL\ngroup.id=other\n");
        assertThatThrownBy(() -> parse("--kafka-properties", managed.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[group.id]");
    }

    @Test
    void redisCredentialsComeFromTheUserAndThePasswordFile() throws Exception {
        Path password = dir.resolve("redis-password");
        Files.writeString(password, "s3cret\n");

        RedisAuth auth =
                parse(
                                "--redis-user",
                                "scoring",
                                "--redis-password-file",
                                password.toString(),
                                "--redis-tls")
                        .redis()
                        .auth();

        assertThat(auth)
                .isEqualTo(
                        new RedisAuth(
                                "scoring",
                                "s3cret",
                                true,
                                null,
                                password.toAbsolutePath().toString()));
        assertThat(auth.toString()).doesNotContain("s3cret");
        assertThat(parse().redis().auth()).isEqualTo(RedisAuth.NONE);
        assertThat(parse().redis().topology().cluster()).isFalse();
        assertThat(parse("--redis-cluster").redis().topology().cluster()).isTrue();
        assertThat(parse("--redis-sentinel-primary", "main").redis().topology().sentinelPrimary())
                .isEqualTo("main");
        assertThatThrownBy(() -> parse("--redis-cluster", "--redis-sentinel-primary", "main"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a Redis Cluster has no Sentinel");
    }

    @Test
    void redisTlsStoresAreReadAtStart() throws Exception {
        TestCertificates certificates = TestCertificates.get();
        Path password = Files.writeString(dir.resolve("store-password"), TestCertificates.PASSWORD);

        ScoringJobConfig config =
                parse(
                        "--redis-tls",
                        "--redis-tls-truststore",
                        certificates.clientTrustStore().toString(),
                        "--redis-tls-keystore",
                        certificates.clientKeyStore().toString(),
                        "--redis-tls-password-file",
                        password.toString());

        // The stores travel inside the job graph: TaskManagers need no copy of the files.
        RedisAuth shipped =
                InstantiationUtil.clone(config, ScoringJobConfigTest.class.getClassLoader())
                        .redis()
                        .auth();
        assertThat(shipped.tls()).isTrue();
        assertThat(shipped.tlsStores().trustStore())
                .hasBinaryContent(Files.readAllBytes(certificates.clientTrustStore()));
        assertThat(shipped.tlsStores().keyStore())
                .hasBinaryContent(Files.readAllBytes(certificates.clientKeyStore()));
        assertThat(shipped.tlsStores().password())
                .isEqualTo(TestCertificates.PASSWORD.toCharArray());
        Path missing = dir.resolve("missing.p12");
        assertThatThrownBy(() -> parse("--redis-tls", "--redis-tls-truststore", missing.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read --redis-tls-truststore " + missing);
    }

    @Test
    void aRedisUserWithoutAPasswordOrAnUnreadablePasswordFileFailsTheStart() throws Exception {
        assertThatThrownBy(() -> parse("--redis-user", "scoring"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--redis-password-file");
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThatThrownBy(() -> parse("--redis-password-file", empty.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is empty");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> parse("--redis-password-file", missing.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the Redis password file " + missing);
    }
}
