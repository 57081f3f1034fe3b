package io.vigil.testkit;

import static org.awaitility.Awaitility.await;

import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.schemas.topics.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real in-process Kafka broker (KRaft, combined broker + controller) for ITCases.
 *
 * <p>One broker serves the whole test JVM (started on first use, closed when JUnit's root context
 * closes); tests isolate themselves with fresh topic names from {@link #newTopic} or {@link
 * #freshTopics}. Use as {@code @RegisterExtension static final KafkaExtension KAFKA = new
 * KafkaExtension();}.
 *
 * <p>{@link #withSasl()} is a second broker whose clients must authenticate (SASL_PLAINTEXT, PLAIN,
 * as the client settings of {@link #clientSecurity()}). Its authorizer admits a client only to what
 * an ACL allows ({@link #grant}), as a production cluster with ACLs does; the test's own clients
 * ({@link #harnessSecurity()}, used by this class's helpers) are a super user, so the ACLs granted
 * to {@link #clientPrincipal()} bind only the component under test. {@link #withTls()} is a third,
 * whose clients must present a certificate (mutual TLS, {@link TestCertificates}). {@link
 * #withSaslOverTls()} is a fourth, as most managed clusters are: SASL with SCRAM-SHA-512 over TLS,
 * and ACLs as on the SASL broker. {@link #replicated()} and {@link #rollingRestartable()} are plain
 * clusters of three brokers, one per test class, whose brokers a test may stop and start again.
 */
public final class KafkaExtension implements BeforeAllCallback {

    private static final AtomicInteger TOPIC_SEQUENCE = new AtomicInteger();

    private static final String SCRAM_USER = "vigil-scram";
    private static final String SCRAM_PASSWORD = "vigil-scram-secret";

    private final SecurityProtocol protocol;
    private final Brokers brokers;
    private volatile KafkaClusterTestKit cluster;

    /** How many brokers a cluster has and how they stop. */
    private enum Brokers {
        ONE(1, false),
        THREE_CRASHING(3, false),
        THREE_HANDING_OVER(3, true);

        final int count;
        final boolean controlledShutdown;

        Brokers(int count, boolean controlledShutdown) {
            this.count = count;
            this.controlledShutdown = controlledShutdown;
        }
    }

    public KafkaExtension() {
        this(SecurityProtocol.PLAINTEXT, Brokers.ONE);
    }

    private KafkaExtension(SecurityProtocol protocol, Brokers brokers) {
        this.protocol = protocol;
        this.brokers = brokers;
    }

    /**
     * The JVM-wide broker that accepts only clients authenticated with {@link #clientSecurity()}.
     */
    public static KafkaExtension withSasl() {
        return new KafkaExtension(SecurityProtocol.SASL_PLAINTEXT, Brokers.ONE);
    }

    /**
     * The JVM-wide broker that speaks only TLS and accepts only clients whose certificate it
     * trusts, as {@link #clientSecurity()} presents.
     */
    public static KafkaExtension withTls() {
        return new KafkaExtension(SecurityProtocol.SSL, Brokers.ONE);
    }

    /**
     * The JVM-wide broker that speaks only TLS (the clients trust its certificate) and takes only
     * clients that log in with SCRAM-SHA-512 (or PLAIN, for the test's own super user), admitting
     * them only to what ACLs allow.
     */
    public static KafkaExtension withSaslOverTls() {
        return new KafkaExtension(SecurityProtocol.SASL_SSL, Brokers.ONE);
    }

    /**
     * The test class's plain cluster of three brokers (with a controller of their own) whose topics
     * keep three replicas and take a write once two hold it, as production clusters are set up.
     * {@link #crashBroker} stops a broker as a crash does; {@link #startBroker} starts it again on
     * the same port.
     */
    public static KafkaExtension replicated() {
        return new KafkaExtension(SecurityProtocol.PLAINTEXT, Brokers.THREE_CRASHING);
    }

    /**
     * {@link #replicated()}, but its brokers stop as a rolling restart stops them ({@link
     * #shutDownBroker}): each first hands the leadership of its partitions to in-sync replicas.
     */
    public static KafkaExtension rollingRestartable() {
        return new KafkaExtension(SecurityProtocol.PLAINTEXT, Brokers.THREE_HANDING_OVER);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // One broker serves the whole JVM; a cluster of three, only the class that stops brokers.
        ExtensionContext owner = brokers == Brokers.ONE ? context.getRoot() : context;
        cluster =
                owner.getStore(ExtensionContext.Namespace.GLOBAL)
                        .getOrComputeIfAbsent(
                                "vigil-broker-" + protocol + "-" + brokers,
                                k -> SharedBroker.start(protocol, brokers),
                                SharedBroker.class)
                        .cluster;
    }

    /** The ids of the brokers, running or not. */
    public Set<Integer> brokerIds() {
        return Set.copyOf(started().brokers().keySet());
    }

    /** The broker that leads {@code partition} of {@code topic} now. */
    public int leaderOf(String topic, int partition) {
        return withAdmin(
                "describe " + topic,
                admin ->
                        admin.describeTopics(List.of(topic))
                                .allTopicNames()
                                .get()
                                .get(topic)
                                .partitions()
                                .get(partition)
                                .leader()
                                .id());
    }

    /**
     * The broker that coordinates the Kafka transactions whose ids start with {@code idPrefix} (a
     * transactional sink's prefix), waiting until the first of them is known to the cluster.
     */
    public int transactionCoordinatorOf(String idPrefix) {
        return withAdmin(
                "describe the transactions of " + idPrefix,
                admin -> {
                    String id =
                            await("a transaction of " + idPrefix)
                                    .atMost(Duration.ofSeconds(60))
                                    .pollInterval(Duration.ofMillis(50))
                                    .until(
                                            () ->
                                                    admin.listTransactions().all().get().stream()
                                                            .map(
                                                                    TransactionListing
                                                                            ::transactionalId)
                                                            .filter(t -> t.startsWith(idPrefix))
                                                            .findFirst(),
                                            Optional::isPresent)
                                    .orElseThrow();
                    return admin.describeTransactions(List.of(id))
                            .description(id)
                            .get()
                            .coordinatorId();
                });
    }

    /**
     * Stops broker {@code id} as a crash does: its connections close at once, and its partitions
     * keep it as their leader until the controller misses its heartbeats (the broker session
     * timeout) and elects a replica.
     */
    public void crashBroker(int id) {
        stop(id, false);
    }

    /**
     * Stops broker {@code id} as a rolling restart does: the controller first moves the leadership
     * of its partitions to in-sync replicas, then the broker stops.
     */
    public void shutDownBroker(int id) {
        stop(id, true);
    }

    /** Stops broker {@code id}, which hands over first only on a cluster set up to. */
    private void stop(int id, boolean handingOver) {
        if (brokers.controlledShutdown != handingOver) {
            throw new IllegalStateException(
                    "the brokers of this cluster "
                            + (brokers.controlledShutdown ? "hand over" : "stop as crashes do")
                            + " when they stop");
        }
        started().brokers().get(id).shutdown();
    }

    /**
     * Waits until every partition of every topic, internal ones included, has all its replicas in
     * sync, as a rolling restart waits before it stops the next broker.
     */
    public void awaitAllInSync() {
        withAdmin(
                "wait for every replica",
                admin ->
                        await("every replica in sync")
                                .atMost(Duration.ofSeconds(60))
                                .pollInterval(Duration.ofMillis(100))
                                .until(
                                        () -> {
                                            Set<String> topics =
                                                    admin.listTopics(
                                                                    new ListTopicsOptions()
                                                                            .listInternal(true))
                                                            .names()
                                                            .get();
                                            return admin
                                                    .describeTopics(topics)
                                                    .allTopicNames()
                                                    .get()
                                                    .values()
                                                    .stream()
                                                    .flatMap(t -> t.partitions().stream())
                                                    .allMatch(
                                                            p ->
                                                                    p.isr().size()
                                                                            == p.replicas().size());
                                        },
                                        Boolean::booleanValue));
    }

    /**
     * Starts every broker a test stopped, so the next test of the class finds the cluster whole.
     */
    public void startStoppedBrokers() {
        for (int id : brokerIds()) {
            if (!isRunning(id)) {
                startBroker(id);
            }
        }
    }

    /** Whether broker {@code id} runs (it was not stopped, or was started again). */
    public boolean isRunning(int id) {
        return !started().brokers().get(id).isShutdown();
    }

    /**
     * Starts broker {@code id} again, on its old port, and waits until clients see it in the
     * cluster (registered with the controller and no longer fenced).
     */
    public void startBroker(int id) {
        started().brokers().get(id).startup();
        // The kit's own wait covers every broker, including others still down.
        withAdmin(
                "wait for broker " + id,
                admin ->
                        await("broker " + id + " back")
                                .atMost(Duration.ofSeconds(60))
                                .pollInterval(Duration.ofMillis(50))
                                .until(
                                        () ->
                                                admin.describeCluster().nodes().get().stream()
                                                        .anyMatch(n -> n.id() == id),
                                        Boolean::booleanValue));
    }

    /**
     * The client settings this broker needs beyond its address, as a secured cluster's users put
     * them in a Kafka client properties file: none for the plain broker; for {@link #withSasl()}
     * SASL_PLAINTEXT with PLAIN and a user of the broker; for {@link #withTls()} SSL with the
     * client's key store and a trust store holding the broker's certificate.
     */
    public Map<String, String> clientSecurity() {
        return switch (protocol) {
            case SASL_PLAINTEXT -> saslClientSecurity();
            case SSL -> tlsClientSecurity();
            case SASL_SSL -> scramOverTls(SCRAM_USER, SCRAM_PASSWORD);
            default -> Map.of();
        };
    }

    /**
     * The settings of the test's own clients (its producers, readers, topic creation): a super user
     * on the {@link #withSasl()} broker, otherwise those of {@link #clientSecurity()}.
     */
    public Map<String, String> harnessSecurity() {
        return switch (protocol) {
            case SASL_PLAINTEXT ->
                    plainLogin(JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
            case SASL_SSL -> adminOverTls();
            default -> clientSecurity();
        };
    }

    /** {@link #clientSecurity()} with the broker's address: the config of a service's clients. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(clientSecurity());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /**
     * {@link #clientSecurity()} written to {@code dir/kafka-client.properties}, as a secured
     * deployment hands it to a job or command with {@code --kafka-properties}; returns the file.
     */
    public Path clientSettingsFile(Path dir) {
        Properties settings = new Properties();
        settings.putAll(clientSecurity());
        Path file = dir.resolve("kafka-client.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            settings.store(out, protocol + " client settings of the test broker");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The principal of {@link #clientSecurity()} on a broker with ACLs. */
    public String clientPrincipal() {
        return "User:"
                + (protocol == SecurityProtocol.SASL_SSL
                        ? SCRAM_USER
                        : JaasUtils.KAFKA_PLAIN_USER1);
    }

    /**
     * Creates the ACLs and waits until the broker enforces them. From then on, their resources
     * admit only what some ACL allows (the broker's {@code allow.everyone.if.no.acl.found} covers
     * only resources without any).
     */
    public void grant(KafkaAcls acls) {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createAcls(acls.bindings()).all().get();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!admin.describeAcls(AclBindingFilter.ANY)
                    .values()
                    .get()
                    .containsAll(acls.bindings())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "ACLs not in force after 30 s: " + acls.bindings());
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while granting ACLs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot grant " + acls.bindings(), e);
        }
    }

    private static Map<String, String> tlsClientSecurity() {
        TestCertificates certificates = TestCertificates.get();
        Map<String, String> settings =
                tlsStores(certificates.clientKeyStore(), certificates.clientTrustStore());
        settings.put("security.protocol", "SSL");
        return Map.copyOf(settings);
    }

    /** Kafka's settings of a PKCS12 key store and trust store of {@link TestCertificates}. */
    private static Map<String, String> tlsStores(Path keyStore, Path trustStore) {
        Map<String, String> settings = new HashMap<>();
        settings.put("ssl.keystore.location", keyStore.toString());
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.password", TestCertificates.PASSWORD);
        settings.put("ssl.key.password", TestCertificates.PASSWORD);
        settings.put("ssl.truststore.location", trustStore.toString());
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.password", TestCertificates.PASSWORD);
        return settings;
    }

    /** The client settings of docs/security.md's SASL_SSL example, with the test's trust store. */
    private static Map<String, String> scramOverTls(String user, String password) {
        Map<String, String> settings = new HashMap<>();
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";");
        settings.putAll(trustStore());
        return Map.copyOf(settings);
    }

    private static Map<String, String> adminOverTls() {
        Map<String, String> settings =
                new HashMap<>(
                        plainLogin(
                                JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD));
        settings.put("security.protocol", "SASL_SSL");
        settings.putAll(trustStore());
        return Map.copyOf(settings);
    }

    private static Map<String, String> trustStore() {
        TestCertificates certificates = TestCertificates.get();
        return Map.of(
                "ssl.truststore.location",
                certificates.clientTrustStore().toString(),
                "ssl.truststore.type",
                "PKCS12",
                "ssl.truststore.password",
                TestCertificates.PASSWORD);
    }

    private static Map<String, String> saslClientSecurity() {
        return plainLogin(JaasUtils.KAFKA_PLAIN_USER1, JaasUtils.KAFKA_PLAIN_USER1_PASSWORD);
    }

    private static Map<String, String> plainLogin(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";");
    }

    public String bootstrapServers() {
        return started().bootstrapServers();
    }

    /** Creates a topic with a name unique in this JVM, e.g. {@code transactions-7-1a2b3c}. */
    public String newTopic(String prefix, int partitions) {
        String name = prefix + "-" + TOPIC_SEQUENCE.incrementAndGet() + "-" + shortId();
        createTopics(List.of(new NewTopic(name, partitions, (short) brokers.count)));
        return name;
    }

    /**
     * A registry whose every topic has a fresh prefix, all of them created with their partitions.
     */
    public TopicRegistry freshTopics() {
        TopicRegistry registry =
                TopicRegistry.withPrefix("t" + TOPIC_SEQUENCE.incrementAndGet() + shortId() + ".");
        List<NewTopic> topics = new ArrayList<>();
        for (TopicSpec<?> spec : registry.all()) {
            topics.add(new NewTopic(spec.name(), spec.partitions(), (short) brokers.count));
        }
        createTopics(topics);
        return registry;
    }

    public Properties producerProperties() {
        Properties props = new Properties();
        props.putAll(harnessSecurity());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    public KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(producerProperties());
    }

    public Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(harnessSecurity());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        props.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    /**
     * Reads a topic from the beginning (committed records only) until {@code expected} records came
     * or the timeout passed, without a consumer group; returns what it read.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(
            String topic, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Sum over partitions of end offset minus beginning offset (includes transaction markers). */
    public long endOffsetTotal(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        }
    }

    private void createTopics(List<NewTopic> topics) {
        withAdmin("create topics " + topics, admin -> admin.createTopics(topics).all().get());
    }

    /** What an {@link Admin} client answers, with checked failures as "cannot {@code what}". */
    private <R> R withAdmin(String what, AdminCall<R> call) {
        try (Admin admin = Admin.create(adminProperties())) {
            return call.apply(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: cannot " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot " + what, e);
        }
    }

    @FunctionalInterface
    private interface AdminCall<R> {
        R apply(Admin admin) throws Exception;
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        props.putAll(harnessSecurity());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    private KafkaClusterTestKit started() {
        if (cluster == null) {
            throw new IllegalStateException(
                    "KafkaExtension is not started: register it with @RegisterExtension on a static"
                            + " field");
        }
        return cluster;
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 6);
    }

    /** The JVM-wide broker, closed by JUnit when the root context closes. */
    private static final class SharedBroker implements ExtensionContext.Store.CloseableResource {
        private final KafkaClusterTestKit cluster;

        private SharedBroker(KafkaClusterTestKit cluster) {
            this.cluster = cluster;
        }

        static SharedBroker start(SecurityProtocol protocol, Brokers brokers) {
            // The kit knows no TLS: a TLS broker is a plain or SASL one whose client listener is
            // mapped to TLS below.
            SecurityProtocol kitProtocol =
                    switch (protocol) {
                        case SSL -> SecurityProtocol.PLAINTEXT;
                        case SASL_SSL -> SecurityProtocol.SASL_PLAINTEXT;
                        default -> protocol;
                    };
            try {
                // A broker that crashes must leave the controller running.
                TestKitNodes nodes =
                        new TestKitNodes.Builder()
                                .setCombined(brokers == Brokers.ONE)
                                .setNumBrokerNodes(brokers.count)
                                .setNumControllerNodes(1)
                                .setBrokerSecurityProtocol(kitProtocol)
                                .setControllerSecurityProtocol(kitProtocol)
                                // Older bootstrap versions leave consumer groups without records.
                                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                                .build();
                String replicas = Integer.toString(brokers.count);
                String inSync = Integer.toString(Math.min(2, brokers.count));
                KafkaClusterTestKit.Builder builder =
                        new KafkaClusterTestKit.Builder(nodes)
                                .setConfigProp("offsets.topic.replication.factor", replicas)
                                .setConfigProp("offsets.topic.num.partitions", "4")
                                .setConfigProp("transaction.state.log.replication.factor", replicas)
                                .setConfigProp("transaction.state.log.min.isr", inSync)
                                .setConfigProp("min.insync.replicas", inSync)
                                // Without a controlled shutdown, stopping a broker is a crash.
                                .setConfigProp(
                                        "controlled.shutdown.enable",
                                        Boolean.toString(brokers.controlledShutdown))
                                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                                .setConfigProp("auto.create.topics.enable", "false");
                if (protocol == SecurityProtocol.SSL) {
                    tlsServerSecurity(nodes).forEach(builder::setConfigProp);
                } else if (protocol == SecurityProtocol.SASL_SSL) {
                    scramOverTlsServerSecurity(nodes).forEach(builder::setConfigProp);
                }
                KafkaClusterTestKit cluster = builder.build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                if (protocol == SecurityProtocol.SASL_SSL) {
                    addScramUser(cluster);
                }
                return new SharedBroker(cluster);
            } catch (Exception e) {
                throw new IllegalStateException("in-process Kafka broker did not start", e);
            }
        }

        private static Map<String, String> tlsServerSecurity(TestKitNodes nodes) {
            TestCertificates certificates = TestCertificates.get();
            Map<String, String> settings =
                    tlsStores(certificates.serverKeyStore(), certificates.serverTrustStore());
            settings.put("ssl.client.auth", "required");
            settings.put(
                    "listener.security.protocol.map",
                    protocolMap(nodes, SecurityProtocol.SSL, SecurityProtocol.PLAINTEXT));
            return settings;
        }

        /** The kit's two listeners mapped to the protocols the kit itself cannot set up. */
        private static String protocolMap(
                TestKitNodes nodes, SecurityProtocol broker, SecurityProtocol controller) {
            return nodes.brokerListenerName().value()
                    + ":"
                    + broker.name
                    + ","
                    + nodes.controllerListenerName().value()
                    + ":"
                    + controller.name;
        }

        private static Map<String, String> scramOverTlsServerSecurity(TestKitNodes nodes) {
            TestCertificates certificates = TestCertificates.get();
            Map<String, String> settings =
                    tlsStores(certificates.serverKeyStore(), certificates.serverTrustStore());
            String listener = nodes.brokerListenerName().value();
            settings.put(
                    "listener.security.protocol.map",
                    protocolMap(nodes, SecurityProtocol.SASL_SSL, SecurityProtocol.SASL_PLAINTEXT));
            settings.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
            settings.put(
                    "listener.name."
                            + listener.toLowerCase(Locale.ROOT)
                            + ".scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            return settings;
        }

        /** Creates the SCRAM user and waits until it can log in. */
        private static void addScramUser(KafkaClusterTestKit cluster) throws Exception {
            Properties admin = new Properties();
            admin.putAll(adminOverTls());
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            try (Admin client = Admin.create(admin)) {
                client.alterUserScramCredentials(
                                List.of(
                                        new UserScramCredentialUpsertion(
                                                SCRAM_USER,
                                                new ScramCredentialInfo(
                                                        ScramMechanism.SCRAM_SHA_512, 8192),
                                                SCRAM_PASSWORD)))
                        .all()
                        .get();
            }
            Properties user = new Properties();
            user.putAll(scramOverTls(SCRAM_USER, SCRAM_PASSWORD));
            user.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try (Admin client = Admin.create(user)) {
                    client.describeCluster().clusterId().get();
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }

        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }
}
