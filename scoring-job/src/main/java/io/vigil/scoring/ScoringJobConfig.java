package io.vigil.scoring;

import static io.vigil.features.JobOptionChecks.requireAtLeast;
import static io.vigil.features.JobOptionChecks.requireParallelism;
import static io.vigil.features.JobOptionChecks.requirePort;
import static io.vigil.features.JobOptionChecks.requirePositive;
import static io.vigil.features.JobOptionChecks.requireText;

import io.vigil.schemas.kafka.KafkaClientSettings;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTlsStores;
import io.vigil.schemas.redis.RedisTopology;
import io.vigil.schemas.topics.TopicRegistry;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Everything the scoring job can be told, parsed once from {@code --name value} arguments and
 * validated in the constructor. Durations take Flink's syntax ({@code 20ms}, {@code 10s}, {@code
 * 10min}). The options, defaults and meanings are listed by {@code --help} and in {@code
 * scoring-job/README.md}.
 *
 * <p>{@code kafkaProperties} are the settings of {@code --kafka-properties} ({@link
 * KafkaClientSettings}), read here, at the job's start, so a bad file fails the submission instead
 * of every task; they print masked.
 */
public record ScoringJobConfig(
        String bootstrapServers,
        KafkaClientSettings kafkaProperties,
        Topics topics,
        String groupId,
        StartingOffsets startingOffsets,
        String model,
        Redis redis,
        Duration recentHorizon,
        int recentMaxTransactions,
        Duration labelRetention,
        Duration asyncTimeout,
        int asyncCapacity,
        long fallbackReviewAmountMinorUnits,
        DeliveryGuarantee decisionDelivery,
        String transactionalIdPrefix,
        Duration checkpointInterval,
        Duration bufferTimeout,
        int parallelism,
        String metricsHost,
        int metricsPort)
        implements Serializable {

    /** Where to start reading transactions when there is no checkpoint or savepoint. */
    public enum StartingOffsets {
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** Topic names. */
    public record Topics(
            String transactions,
            String labels,
            String modelEvents,
            String decisions,
            String deadLetter)
            implements Serializable {}

    /** The online store, how to authenticate to it and how the lookups treat it. */
    public record Redis(
            RedisTopology topology,
            RedisAuth auth,
            String project,
            Duration timeout,
            Duration retryInterval,
            int maxBatch)
            implements Serializable {}

    public ScoringJobConfig {
        requireText("bootstrap-servers", bootstrapServers);
        Objects.requireNonNull(kafkaProperties, "kafka-properties");
        Objects.requireNonNull(topics, "topics");
        requireText("transactions-topic", topics.transactions());
        requireText("labels-topic", topics.labels());
        requireText("model-events-topic", topics.modelEvents());
        requireText("decisions-topic", topics.decisions());
        requireText("dead-letter-topic", topics.deadLetter());
        requireText("group-id", groupId);
        Objects.requireNonNull(startingOffsets, "starting-offsets");
        requireText("model", model);
        Objects.requireNonNull(redis.topology(), "redis topology");
        Objects.requireNonNull(redis.auth(), "redis auth");
        requireText("project", redis.project());
        requireAtLeast("redis-timeout", redis.timeout(), Duration.ofMillis(1));
        requireAtLeast("lookup-retry-interval", redis.retryInterval(), Duration.ZERO);
        requirePositive("lookup-max-batch", redis.maxBatch());
        requireAtLeast("recent-horizon", recentHorizon, Duration.ofSeconds(1));
        requirePositive("recent-max-transactions", recentMaxTransactions);
        requireAtLeast("label-retention", labelRetention, Duration.ofSeconds(1));
        requireAtLeast("async-timeout", asyncTimeout, Duration.ofMillis(1));
        requirePositive("async-capacity", asyncCapacity);
        if (fallbackReviewAmountMinorUnits < 0) {
            throw new IllegalArgumentException("--fallback-review-amount must not be negative");
        }
        Objects.requireNonNull(decisionDelivery, "decision-delivery");
        if (decisionDelivery == DeliveryGuarantee.NONE) {
            throw new IllegalArgumentException(
                    "--decision-delivery must be at-least-once or exactly-once: every transaction"
                            + " needs its decision");
        }
        requireText("transactional-id-prefix", transactionalIdPrefix);
        requireAtLeast("checkpoint-interval", checkpointInterval, Duration.ofMillis(10));
        requireAtLeast("buffer-timeout", bufferTimeout, Duration.ZERO);
        requireParallelism(parallelism);
        requireText("metrics-host", metricsHost);
        requirePort("metrics-port", metricsPort);
    }

    /**
     * Parses {@code --name value} arguments. Unknown, malformed or missing required options are
     * errors naming the option.
     */
    public static ScoringJobConfig parse(String... args) {
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

    public ScoringSettings settings() {
        return new ScoringSettings(
                model,
                fallbackReviewAmountMinorUnits,
                labelRetention.toMillis(),
                metricsHost,
                metricsPort);
    }

    /** The picocli view of the options; {@link #toConfig} validates through the record. */
    @Command(
            name = "vigil-scoring-job",
            description = "Scores every transaction with the champion and challenger models.",
            sortOptions = false)
    static final class Options {
        private static final TopicRegistry TOPICS = TopicRegistry.defaults();

        @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers.")
        String bootstrapServers;

        @Option(
                names = "--kafka-properties",
                paramLabel = "FILE",
                description =
                        "Kafka client settings (Java properties: security.protocol, sasl.*,"
                                + " ssl.*, ...) for every Kafka source and sink of the job; the"
                                + " job's own settings win.")
        Path kafkaPropertiesFile;

        @Option(
                names = "--redis-host",
                required = true,
                paramLabel = "HOST[:PORT][,...]",
                description =
                        "Redis of the online store: one server, or with --redis-cluster or"
                                + " --redis-sentinel-primary a comma-separated list of seed nodes"
                                + " or Sentinels.")
        String redisHost;

        @Option(
                names = "--redis-port",
                description =
                        "Port of the --redis-host entries without one (default 6379, 26379 for"
                                + " Sentinels).")
        Integer redisPort;

        @Option(
                names = "--redis-cluster",
                description =
                        "--redis-host names seed nodes of a Redis Cluster; the client finds the"
                                + " others from the first that answers.")
        boolean redisCluster;

        @Option(
                names = "--redis-sentinel-primary",
                paramLabel = "NAME",
                description =
                        "--redis-host names Redis Sentinels; the job uses the primary they know by"
                                + " NAME and follows its failovers.")
        String redisSentinelPrimary;

        @Option(
                names = "--redis-user",
                paramLabel = "USER",
                description = "Redis ACL user (default: the default user); needs a password file.")
        String redisUser;

        @Option(
                names = "--redis-password-file",
                paramLabel = "FILE",
                description =
                        "File holding the Redis password, of --redis-user or the default user.")
        Path redisPasswordFile;

        @Option(
                names = "--redis-tls",
                description =
                        "Connect to Redis over TLS, trusting the JVM's trust store unless"
                                + " --redis-tls-truststore is given.")
        boolean redisTls;

        @Option(
                names = "--redis-tls-truststore",
                paramLabel = "FILE",
                description = "PKCS12 or JKS file of the certificates to trust for Redis.")
        Path redisTlsTrustStore;

        @Option(
                names = "--redis-tls-keystore",
                paramLabel = "FILE",
                description =
                        "PKCS12 or JKS file with the client certificate and key, for a Redis that"
                                + " requires one.")
        Path redisTlsKeyStore;

        @Option(
                names = "--redis-tls-password-file",
                paramLabel = "FILE",
                description = "File holding the password of both TLS stores.")
        Path redisTlsPasswordFile;

        @Option(
                names = "--project",
                defaultValue = "vigil",
                description =
                        "Feast project, the suffix of every Redis key (default: ${DEFAULT-VALUE}).")
        String project;

        @Option(names = "--transactions-topic", description = "Default: vigil.transactions.")
        String transactionsTopic = TOPICS.transactions().name();

        @Option(names = "--labels-topic", description = "Default: vigil.labels.")
        String labelsTopic = TOPICS.labels().name();

        @Option(names = "--model-events-topic", description = "Default: vigil.model-events.")
        String modelEventsTopic = TOPICS.modelEvents().name();

        @Option(names = "--decisions-topic", description = "Default: vigil.decisions.")
        String decisionsTopic = TOPICS.decisions().name();

        @Option(names = "--dead-letter-topic", description = "Default: vigil.dead-letter.")
        String deadLetterTopic = TOPICS.deadLetter().name();

        @Option(
                names = "--group-id",
                defaultValue = "vigil-scoring-job",
                description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
        String groupId;

        @Option(
                names = "--starting-offsets",
                defaultValue = "committed",
                description =
                        "Transactions to score on a start without checkpoint: committed (the"
                                + " group's, else earliest), earliest or latest (default: ${DEFAULT-VALUE}).")
        StartingOffsets startingOffsets;

        @Option(
                names = "--model",
                defaultValue = "fraud",
                description =
                        "Registry model whose champion and challenger run (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(
                names = "--recent-horizon",
                defaultValue = "10min",
                description =
                        "Event time a customer's transactions are held for the feature job to"
                                + " catch up; must exceed its lag (default: ${DEFAULT-VALUE}).")
        String recentHorizon;

        @Option(
                names = "--recent-max-transactions",
                defaultValue = "10000",
                description = "Most transactions held per customer (default: ${DEFAULT-VALUE}).")
        int recentMaxTransactions;

        @Option(
                names = "--label-retention",
                defaultValue = "30min",
                description =
                        "Wall-clock time a received fraud label is held (default: ${DEFAULT-VALUE}).")
        String labelRetention;

        @Option(
                names = "--redis-timeout",
                defaultValue = "1s",
                description =
                        "Redis connect/read timeout: a connection without a reply this long has"
                                + " failed and its lookups fall back (default: ${DEFAULT-VALUE}).")
        String redisTimeout;

        @Option(
                names = "--lookup-retry-interval",
                defaultValue = "1s",
                description =
                        "After a failed lookup, fall back at once for this long before"
                                + " trying Redis again (default: ${DEFAULT-VALUE}).")
        String lookupRetryInterval;

        @Option(
                names = "--lookup-max-batch",
                defaultValue = "256",
                description = "Most lookups per pipelined round trip (default: ${DEFAULT-VALUE}).")
        int lookupMaxBatch;

        @Option(
                names = "--async-timeout",
                defaultValue = "50ms",
                description =
                        "A lookup still pending after this falls back; the connection stays"
                                + " (default: ${DEFAULT-VALUE}).")
        String asyncTimeout;

        @Option(
                names = "--async-capacity",
                defaultValue = "1000",
                description = "Lookups in flight per subtask (default: ${DEFAULT-VALUE}).")
        int asyncCapacity;

        @Option(
                names = "--fallback-review-amount",
                defaultValue = "220.00",
                description =
                        "The fallback rule sends amounts from this one to review, approves"
                                + " the rest (default: ${DEFAULT-VALUE}).")
        BigDecimal fallbackReviewAmount;

        @Option(
                names = "--decision-delivery",
                defaultValue = "at-least-once",
                description =
                        "at-least-once (sent at once; readers dedupe by transaction id) or"
                                + " exactly-once (visible at each checkpoint) (default: ${DEFAULT-VALUE}).")
        String decisionDelivery;

        @Option(
                names = "--transactional-id-prefix",
                defaultValue = "vigil-decisions",
                description =
                        "Kafka transactional id prefix for exactly-once (default: ${DEFAULT-VALUE}).")
        String transactionalIdPrefix;

        @Option(
                names = "--checkpoint-interval",
                defaultValue = "10s",
                description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
        String checkpointInterval;

        @Option(
                names = "--buffer-timeout",
                defaultValue = "1ms",
                description =
                        "Longest wait of a record in a network buffer (default: ${DEFAULT-VALUE}).")
        String bufferTimeout;

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
                defaultValue = "9260",
                description =
                        "Its port, one per TaskManager; 0 for any (default: ${DEFAULT-VALUE}).")
        int metricsPort;

        ScoringJobConfig toConfig() {
            return new ScoringJobConfig(
                    bootstrapServers,
                    KafkaClientSettings.load(kafkaPropertiesFile),
                    new Topics(
                            transactionsTopic,
                            labelsTopic,
                            modelEventsTopic,
                            decisionsTopic,
                            deadLetterTopic),
                    groupId,
                    startingOffsets,
                    model,
                    new Redis(
                            RedisTopology.parse(
                                    redisHost, redisPort, redisCluster, redisSentinelPrimary),
                            RedisAuth.of(
                                    redisUser,
                                    redisPasswordFile,
                                    redisTls,
                                    RedisTlsStores.of(
                                            redisTlsTrustStore,
                                            redisTlsKeyStore,
                                            redisTlsPasswordFile)),
                            project,
                            duration("redis-timeout", redisTimeout),
                            duration("lookup-retry-interval", lookupRetryInterval),
                            lookupMaxBatch),
                    duration("recent-horizon", recentHorizon),
                    recentMaxTransactions,
                    duration("label-retention", labelRetention),
                    duration("async-timeout", asyncTimeout),
                    asyncCapacity,
                    minorUnits(fallbackReviewAmount),
                    delivery(decisionDelivery),
                    transactionalIdPrefix,
                    duration("checkpoint-interval", checkpointInterval),
                    duration("buffer-timeout", bufferTimeout),
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
                                + " must be a duration such as 20ms, 10s or 10min, got '"
                                + value
                                + "'");
            }
        }

        private static long minorUnits(BigDecimal amount) {
            try {
                return amount.movePointRight(2).longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                        "--fallback-review-amount must have at most 2 decimals, got " + amount);
            }
        }

        private static DeliveryGuarantee delivery(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
                case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
                default ->
                        throw new IllegalArgumentException(
                                "--decision-delivery must be at-least-once or exactly-once, got '"
                                        + value
                                        + "'");
            };
        }
    }
}
