package io.vigil.drift;

import static io.vigil.features.JobOptionChecks.requireAtLeast;
import static io.vigil.features.JobOptionChecks.requireParallelism;
import static io.vigil.features.JobOptionChecks.requirePort;
import static io.vigil.features.JobOptionChecks.requirePositive;
import static io.vigil.features.JobOptionChecks.requireText;

import io.vigil.schemas.kafka.KafkaClientSettings;
import io.vigil.schemas.topics.TopicRegistry;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Everything the drift job can be told, parsed once from {@code --name value} arguments and
 * validated in the constructor. Durations take Flink's syntax ({@code 30s}, {@code 1min}, {@code
 * 1h}). The options, defaults and meanings are listed by {@code --help} and in {@code
 * docs/drift.md}.
 */
public record DriftJobConfig(
        String bootstrapServers,
        KafkaClientSettings kafkaProperties,
        Topics topics,
        String groupId,
        StartingOffsets startingOffsets,
        boolean bounded,
        String registry,
        Duration window,
        Duration maxOutOfOrderness,
        Duration idleTimeout,
        int minSamples,
        double psiThreshold,
        double ksThreshold,
        Duration realertAfter,
        List<String> ignoredFeatures,
        String transactionalIdPrefix,
        Duration checkpointInterval,
        int parallelism,
        String metricsHost,
        int metricsPort)
        implements Serializable {

    /** Where to start reading decisions when there is no checkpoint or savepoint. */
    public enum StartingOffsets {
        EARLIEST,
        LATEST
    }

    /** Topic names. */
    public record Topics(String decisions, String driftAlerts, String deadLetter)
            implements Serializable {}

    public DriftJobConfig {
        requireText("bootstrap-servers", bootstrapServers);
        Objects.requireNonNull(kafkaProperties, "kafka-properties");
        Objects.requireNonNull(topics, "topics");
        requireText("decisions-topic", topics.decisions());
        requireText("drift-alerts-topic", topics.driftAlerts());
        requireText("dead-letter-topic", topics.deadLetter());
        requireText("group-id", groupId);
        Objects.requireNonNull(startingOffsets, "starting-offsets");
        requireText("registry", registry);
        requireAtLeast("window", window, Duration.ofSeconds(1));
        requireAtLeast("max-out-of-orderness", maxOutOfOrderness, Duration.ZERO);
        if (maxOutOfOrderness.compareTo(window) >= 0) {
            // Every window would stay open for at least one more window's worth of data.
            throw new IllegalArgumentException(
                    "--max-out-of-orderness must be shorter than --window, got "
                            + TimeUtils.formatWithHighestUnit(maxOutOfOrderness)
                            + " and "
                            + TimeUtils.formatWithHighestUnit(window));
        }
        requireAtLeast("idle-timeout", idleTimeout, Duration.ofMillis(1));
        requirePositive("min-samples", minSamples);
        if (!(psiThreshold > 0) || Double.isInfinite(psiThreshold)) {
            throw new IllegalArgumentException(
                    "--psi-threshold must be a positive number, got " + psiThreshold);
        }
        // KS is a difference of two cumulative shares, so it lies in [0, 1].
        if (!(ksThreshold > 0 && ksThreshold <= 1)) {
            throw new IllegalArgumentException(
                    "--ks-threshold must be in (0, 1], got " + ksThreshold);
        }
        requireAtLeast("realert-after", realertAfter, Duration.ZERO);
        ignoredFeatures = List.copyOf(ignoredFeatures);
        requireText("transactional-id-prefix", transactionalIdPrefix);
        requireAtLeast("checkpoint-interval", checkpointInterval, Duration.ofMillis(10));
        requireParallelism(parallelism);
        requireText("metrics-host", metricsHost);
        requirePort("metrics-port", metricsPort);
    }

    /**
     * Parses {@code --name value} arguments ({@code --bounded} alone) and reads the file of {@code
     * --kafka-properties}. Unknown, malformed or missing required options and an unreadable file
     * are errors naming the option.
     */
    public static DriftJobConfig parse(String... args) {
        Options options = new Options();
        CommandLine cli = new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + cli.getUsageMessage(), e);
        }
        return options.toConfig();
    }

    /** The usage text with every option and default. */
    public static String usage() {
        return new CommandLine(new Options()).getUsageMessage();
    }

    /** What the window function needs of the configuration. */
    public DriftSettings settings() {
        return new DriftSettings(
                registry,
                window.toMillis(),
                minSamples,
                psiThreshold,
                ksThreshold,
                realertAfter.toMillis(),
                ignoredFeatures,
                metricsHost,
                metricsPort);
    }

    /** The picocli view of the options; {@link #toConfig} validates through the record. */
    @Command(
            name = "vigil-drift-job",
            description =
                    "Compares live feature and score distributions of each model version with its"
                            + " reference profile and raises drift alerts.",
            sortOptions = false)
    static final class Options {
        private static final TopicRegistry TOPICS = TopicRegistry.defaults();

        @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers.")
        String bootstrapServers;

        @Option(
                names = "--kafka-properties",
                paramLabel = "FILE",
                description =
                        "Kafka client settings (Java properties: security.protocol, sasl.*, ssl.*,"
                                + " ...) for every Kafka source and sink, read at start.")
        Path kafkaProperties;

        @Option(
                names = "--registry",
                required = true,
                description =
                        "Model registry directory, readable from every TaskManager: the source of"
                                + " each version's reference profile.")
        String registry;

        @Option(names = "--decisions-topic", description = "Default: vigil.decisions.")
        String decisionsTopic = TOPICS.decisions().name();

        @Option(names = "--drift-alerts-topic", description = "Default: vigil.drift-alerts.")
        String driftAlertsTopic = TOPICS.driftAlerts().name();

        @Option(names = "--dead-letter-topic", description = "Default: vigil.dead-letter.")
        String deadLetterTopic = TOPICS.deadLetter().name();

        @Option(
                names = "--group-id",
                defaultValue = "vigil-drift-job",
                description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
        String groupId;

        @Option(
                names = "--starting-offsets",
                defaultValue = "earliest",
                description =
                        "Decisions to read on a start without checkpoint: earliest (re-evaluates"
                                + " history; alert ids repeat, so readers deduplicate) or latest"
                                + " (default: ${DEFAULT-VALUE}).")
        StartingOffsets startingOffsets;

        @Option(
                names = "--bounded",
                description =
                        "Stop at the offsets that are latest at start, evaluating every open"
                                + " window (tests, backfills).")
        boolean bounded;

        @Option(
                names = "--window",
                defaultValue = "1h",
                description = "Tumbling event-time window (default: ${DEFAULT-VALUE}).")
        String window;

        @Option(
                names = "--max-out-of-orderness",
                defaultValue = "1min",
                description =
                        "How far behind the latest decision's event time a decision may arrive"
                                + " and still count (default: ${DEFAULT-VALUE}).")
        String maxOutOfOrderness;

        @Option(
                names = "--idle-timeout",
                defaultValue = "1min",
                description =
                        "A decisions partition without records this long stops holding back the"
                                + " watermark (default: ${DEFAULT-VALUE}).")
        String idleTimeout;

        @Option(
                names = "--min-samples",
                defaultValue = "1000",
                description =
                        "Fewest decisions (and values per subject) a window needs to be evaluated"
                                + " (default: ${DEFAULT-VALUE}).")
        int minSamples;

        @Option(
                names = "--psi-threshold",
                defaultValue = "0.2",
                description =
                        "Alert when a subject's PSI reaches this (default: ${DEFAULT-VALUE}).")
        double psiThreshold;

        @Option(
                names = "--ks-threshold",
                defaultValue = "0.1",
                description =
                        "Alert when a subject's binned KS statistic reaches this (default:"
                                + " ${DEFAULT-VALUE}).")
        double ksThreshold;

        @Option(
                names = "--realert-after",
                defaultValue = "24h",
                description =
                        "While a subject keeps drifting, raise its alert again only after this"
                                + " (event time); the gauges still show every window. 0 alerts"
                                + " every window (default: ${DEFAULT-VALUE}).")
        String realertAfter;

        @Option(
                names = "--ignore-features",
                defaultValue = "request:tx_during_night,request:tx_during_weekend",
                split = ",",
                description =
                        "Features not monitored: calendar flags whose share in a window shorter"
                                + " than a week follows the clock, not drift; empty for none"
                                + " (default: ${DEFAULT-VALUE}).")
        String[] ignoredFeatures;

        @Option(
                names = "--transactional-id-prefix",
                defaultValue = "vigil-drift-alerts",
                description =
                        "Kafka transactional id prefix of the exactly-once alert sink, unique per"
                                + " job (default: ${DEFAULT-VALUE}).")
        String transactionalIdPrefix;

        @Option(
                names = "--checkpoint-interval",
                defaultValue = "30s",
                description =
                        "Checkpoint interval; alerts become visible at each checkpoint (default:"
                                + " ${DEFAULT-VALUE}).")
        String checkpointInterval;

        @Option(
                names = "--parallelism",
                defaultValue = "0",
                description =
                        "Job parallelism, 0 for the cluster default (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(
                names = "--metrics-host",
                defaultValue = "0.0.0.0",
                description = "Address of the Prometheus endpoint (default: ${DEFAULT-VALUE}).")
        String metricsHost;

        @Option(
                names = "--metrics-port",
                defaultValue = "9261",
                description =
                        "Its port, one per TaskManager; 0 for any (default: ${DEFAULT-VALUE}).")
        int metricsPort;

        DriftJobConfig toConfig() {
            return new DriftJobConfig(
                    bootstrapServers,
                    KafkaClientSettings.load(kafkaProperties),
                    new Topics(decisionsTopic, driftAlertsTopic, deadLetterTopic),
                    groupId,
                    startingOffsets,
                    bounded,
                    registry,
                    duration("window", window),
                    duration("max-out-of-orderness", maxOutOfOrderness),
                    duration("idle-timeout", idleTimeout),
                    minSamples,
                    psiThreshold,
                    ksThreshold,
                    duration("realert-after", realertAfter),
                    Arrays.stream(ignoredFeatures)
                            .map(String::strip)
                            .filter(f -> !f.isEmpty())
                            .toList(),
                    transactionalIdPrefix,
                    duration("checkpoint-interval", checkpointInterval),
                    parallelism,
                    metricsHost,
                    metricsPort);
        }

        private static Duration duration(String option, String value) {
            try {
                return TimeUtils.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--"
                                + option
                                + " must be a duration such as 30s, 1min or 1h, got '"
                                + value
                                + "'");
            }
        }
    }
}
