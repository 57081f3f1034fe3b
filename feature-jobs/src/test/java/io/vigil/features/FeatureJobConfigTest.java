package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.features.redis.RedisSinkConfig;
import io.vigil.schemas.kafka.KafkaClientSettings;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTopology;
import io.vigil.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureJobConfigTest {

    @TempDir Path dir;

    private static final String[] REQUIRED = {
        "--bootstrap-servers", "k:9092", "--redis-host", "r", "--redis-port", "6379"
    };

    @Test
    void defaults() {
        FeatureJobConfig config = FeatureJobConfig.parse(REQUIRED);

        assertThat(config.bootstrapServers()).isEqualTo("k:9092");
        assertThat(config.transactionsTopic()).isEqualTo("vigil.transactions");
        assertThat(config.labelsTopic()).isEqualTo("vigil.labels");
        assertThat(config.featuresTopic()).isEqualTo("vigil.features");
        assertThat(config.deadLetterTopic()).isEqualTo("vigil.dead-letter");
        assertThat(config.startingOffsets()).isEqualTo(FeatureJobConfig.StartingOffsets.COMMITTED);
        assertThat(config.bounded()).isFalse();
        assertThat(config.maxOutOfOrderness()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.watermarkInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.bufferTimeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.featureLogDelivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(config.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.parallelism()).isZero();
        assertThat(config.stateBackend()).isEqualTo(FeatureJobConfig.StateBackend.HASHMAP);
        assertThat(FeaturePipeline.flinkConfiguration(config).toMap())
                .containsEntry("state.backend.type", "hashmap")
                .doesNotContainKey("execution.checkpointing.incremental");
        assertThat(config.redis().topology()).isEqualTo(RedisTopology.single("r", 6379));
        assertThat(config.redis().project()).isEqualTo("vigil");
        assertThat(config.redis().ttl()).isZero();
        assertThat(config.kafkaProperties().values()).isEmpty();
        assertThat(config.redis().auth()).isEqualTo(RedisAuth.NONE);
        assertThat(config.history().margin()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.history().maxBuckets()).isEqualTo(4096);
    }

    @Test
    void everyOptionCanBeSet() {
        FeatureJobConfig config =
                parse(
                        "--project",
                        "p",
                        "--transactions-topic",
                        "tx",
                        "--labels-topic",
                        "lb",
                        "--features-topic",
                        "ft",
                        "--dead-letter-topic",
                        "dl",
                        "--group-id",
                        "g",
                        "--starting-offsets",
                        "earliest",
                        "--bounded",
                        "--max-out-of-orderness",
                        "1s",
                        "--idle-timeout",
                        "30s",
                        "--watermark-interval",
                        "50ms",
                        "--buffer-timeout",
                        "0ms",
                        "--dedup-horizon",
                        "10min",
                        "--feature-log-delivery",
                        "at-least-once",
                        "--transactional-id-prefix",
                        "x",
                        "--transaction-timeout",
                        "5min",
                        "--checkpoint-interval",
                        "2s",
                        "--state-backend",
                        "rocksdb",
                        "--parallelism",
                        "3",
                        "--redis-ttl",
                        "40d",
                        "--redis-batch-size",
                        "10",
                        "--redis-flush-interval",
                        "5ms",
                        "--history-margin",
                        "0ms",
                        "--history-max-buckets",
                        "7");

        assertThat(config.redis().project()).isEqualTo("p");
        assertThat(
                        List.of(
                                config.transactionsTopic(),
                                config.labelsTopic(),
                                config.featuresTopic(),
                                config.deadLetterTopic(),
                                config.groupId(),
                                config.transactionalIdPrefix()))
                .containsExactly("tx", "lb", "ft", "dl", "g", "x");
        assertThat(config.startingOffsets()).isEqualTo(FeatureJobConfig.StartingOffsets.EARLIEST);
        assertThat(config.bounded()).isTrue();
        assertThat(config.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.watermarkInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.bufferTimeout()).isZero();
        assertThat(config.dedupHorizon()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.featureLogDelivery()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(config.transactionTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.parallelism()).isEqualTo(3);
        assertThat(config.stateBackend()).isEqualTo(FeatureJobConfig.StateBackend.ROCKSDB);
        assertThat(FeaturePipeline.flinkConfiguration(config).toMap())
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true");
        assertThat(config.redis().ttl()).isEqualTo(Duration.ofDays(40));
        assertThat(config.redis().batchSize()).isEqualTo(10);
        assertThat(config.redis().flushInterval()).isEqualTo(Duration.ofMillis(5));
        assertThat(config.history().marginMillis()).isZero();
        assertThat(config.history().maxBuckets()).isEqualTo(7);
    }

    @Test
    void requiredOptionsAreNamedWhenMissing() {
        assertThatThrownBy(() -> FeatureJobConfig.parse("--redis-host", "r", "--redis-port", "1"))
                .hasMessage("missing required option --bootstrap-servers");
        assertThatThrownBy(() -> FeatureJobConfig.parse("--bootstrap-servers", "k"))
                .hasMessage("missing required option --redis-host");
    }

    @Test
    void unknownRepeatedAndValuelessOptionsAreRejected() {
        assertThatThrownBy(() -> parse("--redis-password", "x"))
                .hasMessageStartingWith("unknown option --redis-password. Options: --bootstrap");
        assertThatThrownBy(() -> parse("--project", "a", "--project", "b"))
                .hasMessage("option --project is given twice");
        assertThatThrownBy(() -> parse("--project")).hasMessage("option --project needs a value");
        assertThatThrownBy(() -> FeatureJobConfig.parse("k:9092"))
                .hasMessageStartingWith("expected an option like --name, got 'k:9092'");
    }

    @Test
    void aTtlThatCouldExpireHistoryAWindowStillNeedsIsRefused() {
        assertThatThrownBy(() -> parse("--redis-ttl", "37d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "--redis-ttl must be 0ms (no expiry) or at least 53290 min (the terminals'"
                                + " 7-day label delay, the 30-day windows and --history-margin),"
                                + " got 37 d");
        assertThat(parse("--redis-ttl", "53290min").redis().ttl())
                .isEqualTo(Duration.ofMinutes(53_290));
        assertThat(parse("--redis-ttl", "37d", "--history-margin", "0ms").redis().ttl())
                .isEqualTo(Duration.ofDays(37));
    }

    @Test
    void badValuesNameTheOptionAndWhatIsAllowed() {
        assertThatThrownBy(() -> parse("--max-out-of-orderness", "soon"))
                .hasMessage(
                        "--max-out-of-orderness must be a duration such as 200ms, 5s or 1min, got"
                                + " 'soon'");
        assertThatThrownBy(() -> parse("--feature-log-delivery", "twice"))
                .hasMessage(
                        "--feature-log-delivery must be one of exactly-once, at-least-once, none,"
                                + " got 'twice'");
        assertThatThrownBy(() -> parse("--state-backend", "memory"))
                .hasMessage("--state-backend must be one of hashmap, rocksdb, got 'memory'");
        assertThatThrownBy(() -> parse("--parallelism", "two"))
                .hasMessage("--parallelism must be an integer, got 'two'");
        assertThatThrownBy(() -> parse("--parallelism", "-1"))
                .hasMessageStartingWith("--parallelism must be >= 1");
        assertThatThrownBy(
                        () ->
                                FeatureJobConfig.parse(
                                        "--bootstrap-servers",
                                        "k",
                                        "--redis-host",
                                        "r",
                                        "--redis-port",
                                        "0"))
                .hasMessage("invalid Redis options: redis port must be in 1..65535, got 0 for r");
        assertThatThrownBy(() -> parse("--idle-timeout", "0ms"))
                .hasMessage("--idle-timeout must be at least 1 ms, got 0 ms");
        assertThatThrownBy(() -> parse("--buffer-timeout", "-1ms"))
                .hasMessageStartingWith("--buffer-timeout must be");
        assertThatThrownBy(() -> parse("--history-margin", "2d"))
                .hasMessage(
                        "invalid history options: --history-margin must be between 0 ms and 1 d,"
                                + " got 2 d");
        assertThatThrownBy(() -> parse("--history-margin", "-1ms"))
                .hasMessageStartingWith("--history-margin must be");
        assertThatThrownBy(() -> parse("--history-max-buckets", "0"))
                .hasMessage(
                        "invalid history options: --history-max-buckets must be in 1..100000, got"
                                + " 0");
        assertThatThrownBy(() -> parse("--history-max-buckets", "many"))
                .hasMessage("--history-max-buckets must be an integer, got 'many'");
    }

    @Test
    void kafkaTransactionsMustFitTheBrokerLimitAndOutliveACheckpoint() {
        assertThatThrownBy(() -> parse("--transaction-timeout", "16min"))
                .hasMessageStartingWith("--transaction-timeout must be at most 15min");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--transaction-timeout",
                                        "1min",
                                        "--checkpoint-interval",
                                        "1min"))
                .hasMessageContaining("must be shorter than --transaction-timeout");
        assertThat(
                        parse(
                                        "--feature-log-delivery",
                                        "at-least-once",
                                        "--transaction-timeout",
                                        "1min",
                                        "--checkpoint-interval",
                                        "1min")
                                .checkpointInterval())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void secretsComeFromTheFilesTheOptionsNameAndNeverPrint() throws IOException {
        Path kafka =
                Files.writeString(
                        dir.resolve("kafka.properties"), "sasl.jaas.config=x password=\"s3cret\";");
        Path password = Files.writeString(dir.resolve("redis-password"), "s3cret\n");

        FeatureJobConfig config =
                parse(
                        "--kafka-properties",
                        kafka.toString(),
                        "--redis-user",
                        "features",
                        "--redis-password-file",
                        password.toString(),
                        "--redis-tls");

        assertThat(config.kafkaProperties()).isEqualTo(KafkaClientSettings.load(kafka));
        assertThat(config.redis().auth())
                .isEqualTo(
                        new RedisAuth(
                                "features",
                                "s3cret",
                                true,
                                null,
                                password.toAbsolutePath().toString()));
        assertThat(config.toString())
                .contains("sasl.jaas.config=****", "password=****")
                .doesNotContain("s3cret");
        assertThat(parse("--redis-password-file", password.toString()).redis().auth())
                .isEqualTo(
                        new RedisAuth(
                                null, "s3cret", false, null, password.toAbsolutePath().toString()));
        assertThat(config.redis().topology().cluster()).isFalse();
        assertThat(parse("--redis-cluster").redis().topology().cluster()).isTrue();
        assertThat(parse("--redis-sentinel-primary", "main").redis().topology().sentinelPrimary())
                .isEqualTo("main");
        assertThatThrownBy(() -> parse("--redis-cluster", "--redis-sentinel-primary", "main"))
                .hasMessageContaining("a Redis Cluster has no Sentinel");
    }

    @Test
    void redisHostNamesSeveralSeedNodesOrSentinelsEachWithItsPortOrTheDefault() {
        assertThat(redis("a:7000,b,[::1]:7002", "--redis-cluster").topology())
                .isEqualTo(
                        new RedisTopology(
                                List.of(
                                        new RedisTopology.Address("a", 7000),
                                        new RedisTopology.Address("b", 6379),
                                        new RedisTopology.Address("::1", 7002)),
                                true,
                                null));
        assertThat(redis("s1,s2:5000", "--redis-sentinel-primary", "main").topology().hosts())
                .isEqualTo("s1:26379,s2:5000");
        assertThat(
                        redis("s1,s2", "--redis-port", "7000", "--redis-sentinel-primary", "main")
                                .topology()
                                .hosts())
                .isEqualTo("s1:7000,s2:7000");
        assertThatThrownBy(() -> redis("a,b"))
                .hasMessageContaining(
                        "several Redis addresses ([a:6379, b:6379]) are the seed nodes");
        assertThatThrownBy(() -> redis("a:x", "--redis-cluster"))
                .hasMessageContaining("--redis-host entry 'a:x' is not host, host:port");
        assertThatThrownBy(() -> redis("a,,b", "--redis-cluster"))
                .hasMessageContaining("--redis-host entry '' is not");
        assertThatThrownBy(() -> redis("a,a:6379", "--redis-cluster"))
                .hasMessageContaining("redis address named twice");
    }

    private static RedisSinkConfig redis(String hosts, String... extra) {
        List<String> args =
                new ArrayList<>(List.of("--bootstrap-servers", "k:9092", "--redis-host", hosts));
        args.addAll(List.of(extra));
        return FeatureJobConfig.parse(args.toArray(String[]::new)).redis();
    }

    @Test
    void badFilesAndCredentialsAreErrorsNamingTheOption() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> parse("--kafka-properties", missing.toString()))
                .hasMessageStartingWith(
                        "--kafka-properties: cannot read the Kafka client properties file "
                                + missing);
        assertThatThrownBy(() -> parse("--kafka-properties", " "))
                .hasMessage("--kafka-properties must not be blank");
        assertThatThrownBy(() -> parse("--redis-user", "features"))
                .hasMessage(
                        "invalid Redis options: Redis user features needs a password"
                                + " (--redis-password-file)");
        assertThatThrownBy(() -> parse("--redis-password-file", empty.toString()))
                .hasMessage(
                        "invalid Redis options: the Redis password file " + empty + " is empty");
        assertThatThrownBy(() -> parse("--redis-password-file", missing.toString()))
                .hasMessageStartingWith(
                        "invalid Redis options: cannot read the Redis password file " + missing);
        assertThatThrownBy(() -> parse("--redis-user", ""))
                .hasMessage("--redis-user must not be blank");
        assertThatThrownBy(() -> parse("--redis-tls", "maybe"))
                .hasMessage("--redis-tls must be true or false, got 'maybe'");
    }

    @Test
    void redisTlsStoresAreOpenedAtStartAndErrorsNameTheOption() throws IOException {
        TestCertificates certificates = TestCertificates.get();
        String trustStore = certificates.clientTrustStore().toString();
        String keyStore = certificates.clientKeyStore().toString();
        String password =
                Files.writeString(dir.resolve("store-password"), TestCertificates.PASSWORD + "\n")
                        .toString();
        String wrongPassword = Files.writeString(dir.resolve("wrong"), "wrong").toString();

        RedisAuth auth =
                parse(
                                "--redis-tls",
                                "--redis-tls-truststore",
                                trustStore,
                                "--redis-tls-keystore",
                                keyStore,
                                "--redis-tls-password-file",
                                password)
                        .redis()
                        .auth();

        assertThat(auth.tlsStores().hasTrustStore()).isTrue();
        assertThat(auth.tlsStores().hasKeyStore()).isTrue();
        assertThat(auth)
                .hasToString(
                        "RedisAuth[user=default, password=none, tls=true, truststore=given,"
                                + " keystore=given]");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--redis-tls",
                                        "--redis-tls-truststore",
                                        trustStore,
                                        "--redis-tls-password-file",
                                        wrongPassword))
                .hasMessageStartingWith(
                        "invalid Redis options: cannot open --redis-tls-truststore " + trustStore);
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--redis-tls",
                                        "--redis-tls-keystore",
                                        trustStore,
                                        "--redis-tls-password-file",
                                        password))
                .hasMessage(
                        "invalid Redis options: --redis-tls-keystore "
                                + trustStore
                                + " holds no private key");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--redis-tls-truststore",
                                        trustStore,
                                        "--redis-tls-password-file",
                                        password))
                .hasMessage(
                        "invalid Redis options: --redis-tls-truststore and --redis-tls-keystore"
                                + " need --redis-tls");
        assertThatThrownBy(() -> parse("--redis-tls", "--redis-tls-password-file", password))
                .hasMessage(
                        "invalid Redis options: --redis-tls-password-file needs"
                                + " --redis-tls-truststore or --redis-tls-keystore");
    }

    @Test
    void usageTellsOptionalFromRequiredOptions() {
        assertThat(FeatureJobConfig.usage())
                .contains(
                        "--bootstrap-servers (required)",
                        "--kafka-properties (optional)",
                        "--redis-user (optional)",
                        "--redis-password-file (optional)",
                        "--redis-port (optional)",
                        "--redis-cluster (default false)",
                        "--redis-sentinel-primary (optional)",
                        "--redis-tls (default false)",
                        "--redis-tls-truststore (optional)",
                        "--redis-tls-keystore (optional)",
                        "--redis-tls-password-file (optional)");
    }

    private static FeatureJobConfig parse(String... extra) {
        List<String> args = new ArrayList<>(List.of(REQUIRED));
        args.addAll(List.of(extra));
        return FeatureJobConfig.parse(args.toArray(String[]::new));
    }
}
