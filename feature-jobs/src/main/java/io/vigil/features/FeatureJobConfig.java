package io.vigil.features;

import static io.vigil.features.JobOptionChecks.requireAtLeast;
import static io.vigil.features.JobOptionChecks.requireParallelism;
import static io.vigil.features.JobOptionChecks.requireText;

import io.vigil.features.redis.RedisSinkConfig;
import io.vigil.features.state.HistoryConfig;
import io.vigil.schemas.kafka.KafkaClientSettings;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTlsStores;
import io.vigil.schemas.redis.RedisTopology;
import io.vigil.schemas.topics.TopicRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.TimeUtils;

/**
 * Everything the feature job can be told, parsed once from {@code --name value} arguments and
 * validated in the constructor. Durations take Flink's syntax ({@code 200ms}, {@code 5s}, {@code
 * 1min}, {@code 15min}).
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>--bootstrap-servers</td><td>required</td><td>Kafka brokers</td></tr>
 *   <tr><td>--kafka-properties</td><td>none</td><td>Kafka client settings file (Java properties:
 *       {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, ...) for every Kafka source and
 *       sink, read at start ({@link KafkaClientSettings})</td></tr>
 *   <tr><td>--redis-host</td><td>required</td><td>Redis of the online store: one server, or with
 *       --redis-cluster or --redis-sentinel-primary a comma-separated list of seed nodes or
 *       Sentinels, each {@code host} or {@code host:port} ({@link RedisTopology#parse})</td></tr>
 *   <tr><td>--redis-port</td><td>6379, 26379 for Sentinels</td><td>port of the --redis-host
 *       entries without one</td></tr>
 *   <tr><td>--redis-cluster</td><td>false</td><td>--redis-host names seed nodes of a Redis
 *       Cluster; the client finds the others from the first that answers</td></tr>
 *   <tr><td>--redis-sentinel-primary</td><td>none</td><td>--redis-host names Redis Sentinels; the
 *       job writes to the primary they know by this name, following failovers</td></tr>
 *   <tr><td>--redis-user</td><td>none (the default user)</td><td>Redis ACL user; needs
 *       --redis-password-file</td></tr>
 *   <tr><td>--redis-password-file</td><td>none</td><td>file holding the Redis password, read at
 *       start and again, where the TaskManager has it, at every new connection ({@link
 *       RedisAuth})</td></tr>
 *   <tr><td>--redis-tls</td><td>false</td><td>connect to Redis with TLS (JVM trust
 *       store)</td></tr>
 *   <tr><td>--redis-tls-truststore</td><td>none (the JVM's)</td><td>PKCS12 or JKS file of the
 *       certificates to trust for Redis, read at start ({@link RedisTlsStores})</td></tr>
 *   <tr><td>--redis-tls-keystore</td><td>none</td><td>PKCS12 or JKS file with the client
 *       certificate and key for a Redis that requires one, read at start</td></tr>
 *   <tr><td>--redis-tls-password-file</td><td>none</td><td>file holding the password of both
 *       stores</td></tr>
 *   <tr><td>--project</td><td>vigil</td><td>Feast project, the suffix of every Redis key</td></tr>
 *   <tr><td>--transactions-topic, --labels-topic, --features-topic, --dead-letter-topic</td>
 *       <td>vigil.transactions, vigil.labels, vigil.features, vigil.dead-letter</td>
 *       <td>topic names</td></tr>
 *   <tr><td>--group-id</td><td>vigil-feature-jobs</td><td>Kafka consumer group (offsets are
 *       committed on checkpoints, for monitoring; Flink restores from its own state)</td></tr>
 *   <tr><td>--starting-offsets</td><td>committed</td><td>committed (the group's, else
 *       earliest), earliest or latest; only for a start without checkpoint or savepoint</td></tr>
 *   <tr><td>--bounded</td><td>false</td><td>stop at the offsets that are latest at start
 *       (replays, tests)</td></tr>
 *   <tr><td>--max-out-of-orderness</td><td>200ms</td><td>how far behind the newest event time of
 *       its Kafka partition a record may arrive and still count; every feature waits this
 *       long</td></tr>
 *   <tr><td>--idle-timeout</td><td>5s</td><td>a labels partition without records this long stops
 *       holding the watermark back (transactions partitions never do)</td></tr>
 *   <tr><td>--watermark-interval</td><td>20ms</td><td>how often sources emit watermarks</td></tr>
 *   <tr><td>--buffer-timeout</td><td>10ms</td><td>longest wait of a record in a network buffer between
 *       operators (Flink's 100 ms default would add up to that at each of the job's hops)</td></tr>
 *   <tr><td>--dedup-horizon</td><td>1min</td><td>how long (event time) after a transaction a
 *       repeat of its id is dropped as a duplicate; later repeats are late</td></tr>
 *   <tr><td>--feature-log-delivery</td><td>exactly-once</td><td>exactly-once, at-least-once or
 *       none, for the feature log topic</td></tr>
 *   <tr><td>--transactional-id-prefix</td><td>vigil-feature-log</td><td>Kafka transactional id
 *       prefix of the exactly-once feature log, unique per deployment</td></tr>
 *   <tr><td>--transaction-timeout</td><td>15min</td><td>Kafka transaction timeout, at most 15 min
 *       (the broker's default maximum)</td></tr>
 *   <tr><td>--checkpoint-interval</td><td>10s</td><td>checkpoint interval; exactly-once feature log
 *       records become visible at each checkpoint</td></tr>
 *   <tr><td>--state-backend</td><td>hashmap</td><td>hashmap (state on the heap, full checkpoints)
 *       or rocksdb (state on local disk, incremental checkpoints; for volumes whose state does not
 *       fit the heap or a full checkpoint per interval, docs/deployment.md "Flink")</td></tr>
 *   <tr><td>--parallelism</td><td>cluster default</td><td>job parallelism</td></tr>
 *   <tr><td>--redis-ttl</td><td>0 (none)</td><td>PEXPIRE on entity keys; 0 or at least the
 *       history (37 d plus --history-margin)</td></tr>
 *   <tr><td>--redis-batch-size</td><td>5000</td><td>entities per pipelined Redis round trip (the
 *       writes of one entity in a batch are coalesced)</td></tr>
 *   <tr><td>--redis-flush-interval</td><td>10ms</td><td>longest wait of a buffered write</td></tr>
 *   <tr><td>--history-margin</td><td>10min</td><td>how much longer than the windows need entity
 *       histories keep buckets, and Redis history snapshots cover (at most 1d)</td></tr>
 *   <tr><td>--history-max-buckets</td><td>4096</td><td>most buckets in one Redis history snapshot
 *       (hot keys keep their newest ones)</td></tr>
 * </table>
 */
public record FeatureJobConfig(
        String bootstrapServers,
        KafkaClientSettings kafkaProperties,
        String transactionsTopic,
        String labelsTopic,
        String featuresTopic,
        String deadLetterTopic,
        String groupId,
        StartingOffsets startingOffsets,
        boolean bounded,
        Duration maxOutOfOrderness,
        Duration idleTimeout,
        Duration watermarkInterval,
        Duration bufferTimeout,
        Duration dedupHorizon,
        DeliveryGuarantee featureLogDelivery,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Duration checkpointInterval,
        StateBackend stateBackend,
        int parallelism,
        RedisSinkConfig redis,
        HistoryConfig history) {

    /** Kafka brokers cap transaction timeouts at 15 minutes unless reconfigured. */
    public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /** Where to start reading when there is no checkpoint or savepoint to restore. */
    public enum StartingOffsets {
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** Where keyed state lives, as Flink's {@code state.backend.type} names it. */
    public enum StateBackend {
        HASHMAP,
        ROCKSDB;

        public String flinkName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String TRUE = "true";

    /** The options that may be given without a value. */
    private static final Set<String> FLAGS = Set.of("bounded", "redis-cluster", "redis-tls");

    /** The options without a default that may be left out. */
    private static final Set<String> OPTIONAL =
            Set.of(
                    "kafka-properties",
                    "redis-port",
                    "redis-sentinel-primary",
                    "redis-user",
                    "redis-password-file",
                    "redis-tls-truststore",
                    "redis-tls-keystore",
                    "redis-tls-password-file");

    /** Option names with their defaults; null = required, optional or derived. */
    private static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        TopicRegistry topics = TopicRegistry.defaults();
        OPTIONS.put("bootstrap-servers", null);
        OPTIONS.put("kafka-properties", null);
        OPTIONS.put("redis-host", null);
        OPTIONS.put("redis-port", null);
        OPTIONS.put("redis-cluster", "false");
        OPTIONS.put("redis-sentinel-primary", null);
        OPTIONS.put("redis-user", null);
        OPTIONS.put("redis-password-file", null);
        OPTIONS.put("redis-tls", "false");
        OPTIONS.put("redis-tls-truststore", null);
        OPTIONS.put("redis-tls-keystore", null);
        OPTIONS.put("redis-tls-password-file", null);
        OPTIONS.put("project", "vigil");
        OPTIONS.put("transactions-topic", topics.transactions().name());
        OPTIONS.put("labels-topic", topics.labels().name());
        OPTIONS.put("features-topic", topics.features().name());
        OPTIONS.put("dead-letter-topic", topics.deadLetter().name());
        OPTIONS.put("group-id", "vigil-feature-jobs");
        OPTIONS.put("starting-offsets", "committed");
        OPTIONS.put("bounded", "false");
        OPTIONS.put("max-out-of-orderness", "200ms");
        OPTIONS.put("idle-timeout", "5s");
        OPTIONS.put("watermark-interval", "20ms");
        OPTIONS.put("buffer-timeout", "10ms");
        OPTIONS.put("dedup-horizon", "1min");
        OPTIONS.put("feature-log-delivery", "exactly-once");
        OPTIONS.put("transactional-id-prefix", "vigil-feature-log");
        OPTIONS.put("transaction-timeout", "15min");
        OPTIONS.put("checkpoint-interval", "10s");
        OPTIONS.put("state-backend", "hashmap");
        OPTIONS.put("parallelism", "0");
        OPTIONS.put("redis-ttl", "0ms");
        OPTIONS.put("redis-batch-size", Integer.toString(RedisSinkConfig.DEFAULT_BATCH_SIZE));
        OPTIONS.put(
                "redis-flush-interval", RedisSinkConfig.DEFAULT_FLUSH_INTERVAL.toMillis() + "ms");
        OPTIONS.put("history-margin", HistoryConfig.DEFAULT_MARGIN.toMinutes() + "min");
        OPTIONS.put("history-max-buckets", Integer.toString(HistoryConfig.DEFAULT_MAX_BUCKETS));
    }

    public FeatureJobConfig {
        requireText("bootstrap-servers", bootstrapServers);
        Objects.requireNonNull(kafkaProperties, "kafka-properties");
        requireText("transactions-topic", transactionsTopic);
        requireText("labels-topic", labelsTopic);
        requireText("features-topic", featuresTopic);
        requireText("dead-letter-topic", deadLetterTopic);
        requireText("group-id", groupId);
        Objects.requireNonNull(startingOffsets, "starting-offsets");
        requireAtLeast("max-out-of-orderness", maxOutOfOrderness, Duration.ZERO);
        requireAtLeast("idle-timeout", idleTimeout, Duration.ofMillis(1));
        requireAtLeast("watermark-interval", watermarkInterval, Duration.ofMillis(1));
        requireAtLeast("buffer-timeout", bufferTimeout, Duration.ZERO);
        requireAtLeast("dedup-horizon", dedupHorizon, Duration.ZERO);
        Objects.requireNonNull(featureLogDelivery, "feature-log-delivery");
        requireText("transactional-id-prefix", transactionalIdPrefix);
        requireAtLeast("transaction-timeout", transactionTimeout, Duration.ofSeconds(1));
        if (transactionTimeout.compareTo(MAX_TRANSACTION_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "--transaction-timeout must be at most 15min (brokers reject longer ones by"
                            + " default), got "
                            + TimeUtils.formatWithHighestUnit(transactionTimeout));
        }
        requireAtLeast("checkpoint-interval", checkpointInterval, Duration.ofMillis(10));
        if (featureLogDelivery == DeliveryGuarantee.EXACTLY_ONCE
                && checkpointInterval.compareTo(transactionTimeout) >= 0) {
            throw new IllegalArgumentException(
                    "--checkpoint-interval ("
                            + TimeUtils.formatWithHighestUnit(checkpointInterval)
                            + ") must be shorter than --transaction-timeout ("
                            + TimeUtils.formatWithHighestUnit(transactionTimeout)
                            + "): an exactly-once feature log commits once per checkpoint");
        }
        Objects.requireNonNull(stateBackend, "state-backend");
        requireParallelism(parallelism);
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(history, "history");
        Duration kept = shortestTtl(history);
        if (!redis.ttl().isZero() && redis.ttl().compareTo(kept) < 0) {
            throw new IllegalArgumentException(
                    "--redis-ttl must be 0ms (no expiry) or at least "
                            + TimeUtils.formatWithHighestUnit(kept)
                            + " (the terminals' 7-day label delay, the 30-day windows and"
                            + " --history-margin), got "
                            + TimeUtils.formatWithHighestUnit(redis.ttl())
                            + ": a key that expires sooner may still hold history a window needs,"
                            + " and the scoring job would take its entity for a new one");
        }
    }

    /**
     * The shortest TTL that expires an entity key only once no window can need its history: a
     * terminal's history is needed for the label delay plus the longest window after its last
     * write, and a snapshot covers {@code history}'s margin beyond that.
     */
    static Duration shortestTtl(HistoryConfig history) {
        return Duration.ofMillis(FeatureDefinitions.TERMINAL_RETENTION_MILLIS)
                .plus(history.margin());
    }

    /**
     * Parses {@code --name value} pairs ({@code --bounded}, {@code --redis-cluster} and {@code
     * --redis-tls} alone mean true) and reads the files they name. Unknown, repeated or malformed
     * options, missing required ones and unreadable files are errors naming the option.
     */
    public static FeatureJobConfig parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(
                        "expected an option like --name, got '" + arg + "'. " + usage());
            }
            String name = arg.substring(2);
            if (!OPTIONS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + ". " + usage());
            }
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            if (!hasValue && !FLAGS.contains(name)) {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            String value = hasValue ? args[++i] : TRUE;
            if (given.put(name, value) != null) {
                throw new IllegalArgumentException("option --" + name + " is given twice");
            }
        }
        Options o = new Options(given);
        return new FeatureJobConfig(
                o.required("bootstrap-servers"),
                KafkaClientSettings.load(o.path("kafka-properties")),
                o.text("transactions-topic"),
                o.text("labels-topic"),
                o.text("features-topic"),
                o.text("dead-letter-topic"),
                o.text("group-id"),
                o.choice("starting-offsets", StartingOffsets.class),
                o.bool("bounded"),
                o.duration("max-out-of-orderness"),
                o.duration("idle-timeout"),
                o.duration("watermark-interval"),
                o.duration("buffer-timeout"),
                o.duration("dedup-horizon"),
                o.choice("feature-log-delivery", DeliveryGuarantee.class),
                o.text("transactional-id-prefix"),
                o.duration("transaction-timeout"),
                o.duration("checkpoint-interval"),
                o.choice("state-backend", StateBackend.class),
                o.integer("parallelism"),
                o.redis(),
                o.history());
    }

    /** One line naming every option and its default. */
    public static String usage() {
        return "Options: "
                + OPTIONS.entrySet().stream()
                        .map(e -> "--" + e.getKey() + " (" + describeDefault(e) + ")")
                        .collect(Collectors.joining(", "));
    }

    private static String describeDefault(Map.Entry<String, String> option) {
        if (option.getValue() != null) {
            return "default " + option.getValue();
        }
        return OPTIONAL.contains(option.getKey()) ? "optional" : "required";
    }

    /** Typed access to the given options with defaults; every error names the option. */
    private record Options(Map<String, String> given) {

        String text(String name) {
            return given.getOrDefault(name, OPTIONS.get(name));
        }

        String required(String name) {
            String value = text(name);
            if (value == null) {
                throw new IllegalArgumentException("missing required option --" + name);
            }
            return value;
        }

        /** The value of an {@link #OPTIONAL} option, null when it is not given. */
        String optional(String name) {
            String value = given.get(name);
            if (value != null) {
                requireText(name, value);
            }
            return value;
        }

        Path path(String name) {
            String value = optional(name);
            return value == null ? null : Path.of(value);
        }

        boolean bool(String name) {
            String value = text(name).toLowerCase(Locale.ROOT);
            if (!value.equals(TRUE) && !value.equals("false")) {
                throw invalid(name, value, "true or false");
            }
            return value.equals(TRUE);
        }

        int integer(String name) {
            String value = required(name);
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw invalid(name, value, "an integer");
            }
        }

        Duration duration(String name) {
            String value = text(name);
            try {
                return TimeUtils.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw invalid(name, value, "a duration such as 200ms, 5s or 1min");
            }
        }

        <E extends Enum<E>> E choice(String name, Class<E> type) {
            String value = text(name);
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                String allowed =
                        java.util.Arrays.stream(type.getEnumConstants())
                                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                                .collect(Collectors.joining(", "));
                throw invalid(name, value, "one of " + allowed);
            }
        }

        RedisSinkConfig redis() {
            String hosts = required("redis-host");
            Integer port = optional("redis-port") == null ? null : integer("redis-port");
            String user = optional("redis-user");
            Path passwordFile = path("redis-password-file");
            boolean tls = bool("redis-tls");
            try {
                RedisTopology topology =
                        RedisTopology.parse(
                                hosts,
                                port,
                                bool("redis-cluster"),
                                optional("redis-sentinel-primary"));
                return RedisSinkConfig.of(topology, text("project"))
                        .withAuth(
                                RedisAuth.of(
                                        user,
                                        passwordFile,
                                        tls,
                                        RedisTlsStores.of(
                                                path("redis-tls-truststore"),
                                                path("redis-tls-keystore"),
                                                path("redis-tls-password-file"))))
                        .withTtl(duration("redis-ttl"))
                        .withBatching(
                                integer("redis-batch-size"), duration("redis-flush-interval"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid Redis options: " + e.getMessage(), e);
            }
        }

        HistoryConfig history() {
            Duration margin = duration("history-margin");
            int maxBuckets = integer("history-max-buckets");
            try {
                return new HistoryConfig(margin, maxBuckets);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid history options: " + e.getMessage(), e);
            }
        }

        private static IllegalArgumentException invalid(String name, String value, String what) {
            return new IllegalArgumentException(
                    "--" + name + " must be " + what + ", got '" + value + "'");
        }
    }
}
