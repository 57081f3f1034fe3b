package io.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.kafka.KafkaClientSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriftJobConfigTest {

    private static final String[] REQUIRED = {"--bootstrap-servers", "k:9092", "--registry", "/r"};

    @TempDir Path dir;

    @Test
    void defaults() {
        DriftJobConfig config = DriftJobConfig.parse(REQUIRED);

        assertThat(config.topics())
                .isEqualTo(
                        new DriftJobConfig.Topics(
                                "vigil.decisions", "vigil.drift-alerts", "vigil.dead-letter"));
        assertThat(config.startingOffsets()).isEqualTo(DriftJobConfig.StartingOffsets.EARLIEST);
        assertThat(config.bounded()).isFalse();
        assertThat(config.window()).isEqualTo(Duration.ofHours(1));
        assertThat(config.maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.minSamples()).isEqualTo(1000);
        assertThat(config.psiThreshold()).isEqualTo(0.2);
        assertThat(config.ksThreshold()).isEqualTo(0.1);
        assertThat(config.realertAfter()).isEqualTo(Duration.ofHours(24));
        assertThat(config.settings().realertMillis()).isEqualTo(86_400_000);
        assertThat(config.ignoredFeatures())
                .containsExactly("request:tx_during_night", "request:tx_during_weekend");
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.metricsPort()).isEqualTo(9261);
        assertThat(config.settings().windowMillis()).isEqualTo(3_600_000);
        assertThat(config.kafkaProperties().values()).isEmpty();
    }

    @Test
    void parsesEveryOption() {
        DriftJobConfig config =
                parse(
                        "--decisions-topic",
                        "d",
                        "--drift-alerts-topic",
                        "a",
                        "--dead-letter-topic",
                        "x",
                        "--starting-offsets",
                        "LATEST",
                        "--bounded",
                        "--window",
                        "10min",
                        "--max-out-of-orderness",
                        "5s",
                        "--idle-timeout",
                        "2s",
                        "--min-samples",
                        "50",
                        "--psi-threshold",
                        "0.25",
                        "--ks-threshold",
                        "0.15",
                        "--realert-after",
                        "0s",
                        "--ignore-features",
                        "",
                        "--transactional-id-prefix",
                        "p",
                        "--checkpoint-interval",
                        "1s",
                        "--parallelism",
                        "2",
                        "--metrics-port",
                        "0");

        assertThat(config.topics()).isEqualTo(new DriftJobConfig.Topics("d", "a", "x"));
        assertThat(config.startingOffsets()).isEqualTo(DriftJobConfig.StartingOffsets.LATEST);
        assertThat(config.bounded()).isTrue();
        assertThat(config.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.minSamples()).isEqualTo(50);
        assertThat(config.psiThreshold()).isEqualTo(0.25);
        assertThat(config.ksThreshold()).isEqualTo(0.15);
        assertThat(config.realertAfter()).isZero();
        assertThat(config.ignoredFeatures()).isEmpty();
        assertThat(config.transactionalIdPrefix()).isEqualTo("p");
        assertThat(config.parallelism()).isEqualTo(2);
        assertThat(config.metricsPort()).isZero();
    }

    @Test
    void requiresTheBrokersAndTheRegistry() {
        assertThatThrownBy(() -> DriftJobConfig.parse("--registry", "/r"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(() -> DriftJobConfig.parse("--bootstrap-servers", "k:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--registry");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--window|500ms|--window must be at least 1 s",
                "--window|an hour|--window must be a duration",
                "--max-out-of-orderness|1h|--max-out-of-orderness must be shorter than --window",
                "--idle-timeout|0ms|--idle-timeout must be at least",
                "--min-samples|0|--min-samples must be >= 1",
                "--psi-threshold|0|--psi-threshold must be a positive number",
                "--psi-threshold|NaN|--psi-threshold must be a positive number",
                "--ks-threshold|1.5|--ks-threshold must be in (0, 1]",
                "--ks-threshold|0|--ks-threshold must be in (0, 1]",
                "--realert-after|-1h|--realert-after",
                "--starting-offsets|committed|--starting-offsets",
                "--checkpoint-interval|1ms|--checkpoint-interval must be at least",
                "--parallelism|-1|--parallelism must be >= 1",
                "--metrics-port|70000|--metrics-port must be 0..65535",
                "--group-id|' '|--group-id must not be blank",
                "--transactional-id-prefix|' '|--transactional-id-prefix must not be blank",
                "--no-such-option|1|--no-such-option",
            })
    void rejectsABadValueNamingTheOption(String option, String value, String message) {
        assertThatThrownBy(() -> parse(option, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theKafkaPropertiesFileIsReadIntoTheConfigThatShipsToTheCluster() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("kafka.properties"),
                        "security.protocol=SSL\nssl.keystore.password=s3cret\n");

        DriftJobConfig config = parse("--kafka-properties", file.toString());

        assertThat(config.kafkaProperties()).isEqualTo(KafkaClientSettings.load(file));
        assertThat(InstantiationUtil.clone(config)).isEqualTo(config);
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> parse("--kafka-properties", dir.resolve("missing").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--kafka-properties: cannot read");
    }

    @Test
    void usageListsEveryOption() {
        assertThat(DriftJobConfig.usage())
                .contains(
                        "--registry",
                        "--kafka-properties=FILE",
                        "--window",
                        "--psi-threshold",
                        "--ks-threshold",
                        "--bounded");
    }

    private static DriftJobConfig parse(String... args) {
        List<String> all = new ArrayList<>(List.of(REQUIRED));
        all.addAll(List.of(args));
        return DriftJobConfig.parse(all.toArray(String[]::new));
    }
}
