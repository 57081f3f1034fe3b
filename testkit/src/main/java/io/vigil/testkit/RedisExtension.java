package io.vigil.testkit;

import io.vigil.schemas.redis.RedisTopology;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} process (Debian's package) on a free loopback port, one per test
 * class. Tests can {@link #stop()} and {@link #start()} it again on the same port to simulate an
 * outage. The binary is {@code $VIGIL_REDIS_SERVER} or {@code redis-server} on the PATH; {@code
 * infra/bin/ensure-redis.sh} installs it.
 *
 * <p>{@link #withUser} starts a server that serves only one ACL user with a password, as a managed
 * Redis with access control does: the {@code default} user is off, so a client that does not
 * authenticate gets {@code NOAUTH}. {@link #withTls()} starts one that speaks only TLS and requires
 * a client certificate (Redis's default for TLS, {@code tls-auth-clients yes}), both from {@link
 * TestCertificates}. {@link #cluster()} starts a Redis Cluster of three primaries; {@link #host()}
 * and {@link #port()} name the first, as a seed node for cluster clients.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {

    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final int CLUSTER_SLOTS = 16_384;

    private final String user;
    // Changed only by rotatePassword; read by the kit's own admin logins.
    private volatile String password;
    private final boolean durable;
    private final boolean tls;
    private final Topology topology;

    /**
     * One server; a Redis Cluster of three primaries, without or with a replica each; a primary, a
     * replica and a Sentinel.
     */
    private enum Topology {
        SINGLE(1),
        CLUSTER(3),
        CLUSTER_WITH_REPLICAS(6),
        SENTINEL(2);

        final int servers;

        Topology(int servers) {
            this.servers = servers;
        }
    }

    public RedisExtension() {
        this(null, null, false, false, Topology.SINGLE);
    }

    private RedisExtension(
            String user, String password, boolean durable, boolean tls, Topology topology) {
        this.user = user;
        this.password = password;
        this.durable = durable;
        this.tls = tls;
        this.topology = topology;
    }

    /** A server whose only user is {@code user} with {@code password} and every permission. */
    public static RedisExtension withUser(String user, String password) {
        return new RedisExtension(user, password, false, false, Topology.SINGLE);
    }

    /**
     * A server on a TLS port only, with {@link TestCertificates#serverKeyStore()}'s key, that
     * accepts clients presenting {@link TestCertificates#clientKeyStore()}'s certificate.
     */
    public static RedisExtension withTls() {
        return new RedisExtension(null, null, false, true, Topology.SINGLE);
    }

    /**
     * A server that keeps its data over {@link #stop()} and {@link #start()} (an append-only file
     * synced on every write), as a production Redis with persistence does through a restart.
     */
    public static RedisExtension durable() {
        return new RedisExtension(null, null, true, false, Topology.SINGLE);
    }

    /**
     * A Redis Cluster of three primaries without replicas, the slots split evenly; {@link #port()}
     * is the first node's.
     */
    public static RedisExtension cluster() {
        return new RedisExtension(null, null, false, false, Topology.CLUSTER);
    }

    /**
     * A Redis Cluster of three primaries, the slots split evenly, and a replica of each, which
     * takes over about two seconds after its primary stops answering ({@code cluster-node-timeout}
     * 1 s); {@link #killClusterPrimary} stops one.
     */
    public static RedisExtension clusterWithReplicas() {
        return new RedisExtension(null, null, false, false, Topology.CLUSTER_WITH_REPLICAS);
    }

    /**
     * A {@link #cluster()} whose nodes speak only TLS, to clients and to each other ({@code
     * tls-cluster yes}), require client certificates, as {@link #withTls()}, and serve only {@code
     * user} with {@code password}, as {@link #clusterWithUser}: a managed cluster with encryption
     * in transit and access control.
     */
    public static RedisExtension clusterWithTlsAndUser(String user, String password) {
        return new RedisExtension(user, password, false, true, Topology.CLUSTER);
    }

    /**
     * A {@link #cluster()} whose nodes serve only {@code user} with {@code password} (ACL users are
     * per node in Redis Cluster: {@link #sendToEveryNode} creates more).
     */
    public static RedisExtension clusterWithUser(String user, String password) {
        return new RedisExtension(user, password, false, false, Topology.CLUSTER);
    }

    /**
     * A primary and its replica, watched by one Sentinel that fails over to the replica a second
     * after the primary stops answering; {@link #port()} is the Sentinel's, {@link
     * #sentinelPrimaryName()} the name it knows the primary by.
     */
    public static RedisExtension withSentinel() {
        return new RedisExtension(null, null, false, false, Topology.SENTINEL);
    }

    /**
     * A {@link #withSentinel()} whose primary and replica serve only {@code user} with {@code
     * password}, which the replica and the Sentinel use too; the Sentinel itself takes clients
     * without credentials.
     */
    public static RedisExtension withSentinelAndUser(String user, String password) {
        return new RedisExtension(user, password, false, false, Topology.SENTINEL);
    }

    /** One redis-server: its client port, its cluster bus port (cluster only) and its process. */
    private static final class Node {
        final int port;
        final int busPort;
        Process process;

        Node(int port, int busPort) {
            this.port = port;
            this.busPort = busPort;
        }
    }

    private static final String SENTINEL_PRIMARY = "vigil-primary";
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private final List<Node> nodes = new ArrayList<>();
    private Node sentinel;
    private Path workDir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        workDir = Files.createTempDirectory("vigil-redis-");
        for (int i = 0; i < topology.servers; i++) {
            nodes.add(new Node(freePort(), isCluster() ? freePort() : 0));
        }
        if (topology == Topology.SENTINEL) {
            sentinel = new Node(freePort(), 0);
        }
        start();
        if (isCluster()) {
            formCluster();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        if (workDir == null) {
            return; // beforeAll did not run: another extension's failed first
        }
        // The logs, a durable server's append-only files, cluster nodes' configuration.
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The address clients are given: the first node's, or the Sentinel's. */
    public int port() {
        return sentinel != null ? sentinel.port : nodes.get(0).port;
    }

    /**
     * What a job is given: the server, every node of the cluster as a seed, or the Sentinel and the
     * name of the primary it watches.
     */
    public RedisTopology topology() {
        if (isCluster()) {
            return new RedisTopology(
                    nodes.stream().map(n -> new RedisTopology.Address(host(), n.port)).toList(),
                    true,
                    null);
        }
        return RedisTopology.single(host(), port()).withSentinel(sentinelPrimaryName());
    }

    /**
     * {@link #topology()} of a cluster or a Sentinel with an address in front on which nobody
     * answers, as when one of several seed nodes or Sentinels is down.
     */
    public RedisTopology topologyWithADeadAddressFirst() throws IOException {
        RedisTopology topology = topology();
        List<RedisTopology.Address> addresses = new ArrayList<>();
        addresses.add(new RedisTopology.Address(host(), unusedPort()));
        addresses.addAll(topology.addresses());
        return new RedisTopology(addresses, topology.cluster(), topology.sentinelPrimary());
    }

    public boolean isCluster() {
        return topology == Topology.CLUSTER || topology == Topology.CLUSTER_WITH_REPLICAS;
    }

    private boolean hasClusterReplicas() {
        return topology == Topology.CLUSTER_WITH_REPLICAS;
    }

    /** The Sentinel's name of the primary, null without a Sentinel. */
    public String sentinelPrimaryName() {
        return sentinel == null ? null : SENTINEL_PRIMARY;
    }

    /** Starts the servers (again) on this extension's ports and waits until they answer PING. */
    public synchronized void start() throws IOException, InterruptedException {
        for (Node node : nodes) {
            start(node);
        }
        if (sentinel != null && (sentinel.process == null || !sentinel.process.isAlive())) {
            startSentinel();
        }
    }

    /**
     * The Sentinel, once the replica follows the primary (so that it knows both) and it names the
     * primary.
     */
    private void startSentinel() throws IOException, InterruptedException {
        Path config = workDir.resolve("sentinel.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "port " + sentinel.port,
                        "bind 127.0.0.1",
                        "dir " + workDir,
                        "logfile " + workDir.resolve("sentinel.log"),
                        "sentinel monitor "
                                + SENTINEL_PRIMARY
                                + " "
                                + host()
                                + " "
                                + nodes.get(0).port
                                + " 1",
                        "sentinel down-after-milliseconds " + SENTINEL_PRIMARY + " 1000",
                        "sentinel failover-timeout " + SENTINEL_PRIMARY + " 5000",
                        user == null ? "" : "sentinel auth-user " + SENTINEL_PRIMARY + " " + user,
                        user == null
                                ? ""
                                : "sentinel auth-pass " + SENTINEL_PRIMARY + " " + password,
                        ""));
        long deadline = System.currentTimeMillis() + 30_000;
        awaitInSync(nodes.get(0), nodes.get(1), deadline);
        sentinel.process = launch(List.of(binary(), config.toString(), "--sentinel"));
        awaitPing(sentinel);
        while (primaryPort() != nodes.get(0).port) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        "the Sentinel does not name the primary: "
                                + send(
                                        sentinel,
                                        "SENTINEL get-master-addr-by-name " + SENTINEL_PRIMARY));
            }
            Thread.sleep(50);
        }
    }

    /** The port of the primary the Sentinel names now, -1 if it names none. */
    private int primaryPort() throws IOException {
        // *2 $9 127.0.0.1 $N <port>, one per line.
        List<String> lines =
                send(sentinel, "SENTINEL get-master-addr-by-name " + SENTINEL_PRIMARY)
                        .lines()
                        .toList();
        return lines.size() >= 5 ? Integer.parseInt(lines.get(4).trim()) : -1;
    }

    /**
     * Waits until the replica holds every write the primary took, then kills the primary (SIGKILL)
     * for the Sentinel to fail over.
     */
    public synchronized void killPrimary() throws IOException, InterruptedException {
        int primary = primaryPort();
        Node node = nodes.stream().filter(n -> n.port == primary).findFirst().orElseThrow();
        killInSync(node, nodes.stream().filter(n -> n != node).findFirst().orElseThrow());
    }

    /** Kills {@code primary} (SIGKILL) once {@code replica} holds every write it took. */
    private void killInSync(Node primary, Node replica) throws IOException, InterruptedException {
        awaitInSync(primary, replica, System.currentTimeMillis() + 20_000);
        primary.process.destroyForcibly();
        primary.process.waitFor(10, TimeUnit.SECONDS);
        primary.process = null;
    }

    /**
     * Waits until {@code replica} has finished its sync with {@code primary} and holds every write
     * the primary took so far (its replication offset reached the primary's). WAIT cannot say this:
     * it counts only the writes of its own connection.
     */
    private void awaitInSync(Node primary, Node replica, long deadline)
            throws IOException, InterruptedException {
        while (true) {
            long target = replicationField(send(primary, "INFO replication"), "master_repl_offset");
            String replicaInfo = send(replica, "INFO replication");
            if (replicaInfo.contains("master_link_status:up")
                    && replicationField(replicaInfo, "slave_repl_offset") >= target) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        "the replica on port "
                                + replica.port
                                + " did not catch up with the primary on port "
                                + primary.port
                                + " (offset "
                                + target
                                + "): "
                                + replicaInfo);
            }
            Thread.sleep(20);
        }
    }

    private static long replicationField(String info, String name) {
        return info.lines()
                .filter(line -> line.startsWith(name + ":"))
                .mapToLong(line -> Long.parseLong(line.substring(name.length() + 1).trim()))
                .findFirst()
                .orElse(-1);
    }

    private void start(Node node) throws IOException, InterruptedException {
        if (node.process != null && node.process.isAlive()) {
            return;
        }
        List<String> command =
                new ArrayList<>(
                        List.of(
                                binary(),
                                "--port",
                                tls ? "0" : Integer.toString(node.port),
                                "--bind",
                                "127.0.0.1",
                                "--save",
                                "",
                                "--appendonly",
                                durable ? "yes" : "no",
                                "--appendfsync",
                                "always",
                                // A replica's first sync starts at once, not 5 s later.
                                "--repl-diskless-sync-delay",
                                "0",
                                "--appendfilename",
                                "appendonly-" + node.port + ".aof",
                                "--appenddirname",
                                "appendonly-" + node.port,
                                "--dir",
                                workDir.toString(),
                                "--logfile",
                                workDir.resolve("redis-" + node.port + ".log").toString()));
        if (topology == Topology.SENTINEL && node != nodes.get(0)) {
            command.addAll(List.of("--replicaof", host(), Integer.toString(nodes.get(0).port)));
        }
        if (topology == Topology.SENTINEL && user != null) {
            // Every node: after a failover the old primary comes back as a replica.
            command.addAll(List.of("--masteruser", user, "--masterauth", password));
        }
        if (isCluster()) {
            command.addAll(
                    List.of(
                            "--cluster-enabled",
                            "yes",
                            "--cluster-port",
                            Integer.toString(node.busPort),
                            "--cluster-config-file",
                            "nodes-" + node.port + ".conf",
                            "--cluster-node-timeout",
                            hasClusterReplicas() ? "1000" : "5000"));
            if (tls) {
                command.addAll(List.of("--tls-cluster", "yes"));
            }
        }
        if (tls) {
            TestCertificates certificates = TestCertificates.get();
            command.addAll(
                    List.of(
                            "--tls-port",
                            Integer.toString(node.port),
                            "--tls-cert-file",
                            certificates.serverCertificatePem().toString(),
                            "--tls-key-file",
                            certificates.serverKeyPem().toString(),
                            "--tls-ca-cert-file",
                            certificates.serverTrustPem().toString(),
                            "--tls-auth-clients",
                            "yes"));
        }
        if (user != null) {
            command.addAll(
                    List.of(
                            "--user",
                            "default",
                            "off",
                            "--user",
                            user,
                            "on",
                            ">" + password,
                            "~*",
                            "&*",
                            "+@all"));
        }
        node.process = launch(command);
        awaitPing(node);
    }

    private static String binary() {
        return System.getenv().getOrDefault("VIGIL_REDIS_SERVER", "redis-server");
    }

    private static Process launch(List<String> command) throws IOException {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(new File("/dev/null"))
                    .start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run '"
                            + command.get(0)
                            + "': install Redis with infra/bin/ensure-redis.sh (or apt-get install"
                            + " -y redis-server)",
                    e);
        }
    }

    private void awaitPing(Node node) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!answersPing(node)) {
            if (!node.process.isAlive()) {
                throw new IllegalStateException(
                        "redis-server exited with "
                                + node.process.exitValue()
                                + " on port "
                                + node.port);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("redis-server did not answer on port " + node.port);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Gives each primary an even share of the slots, introduces the nodes to the first, makes the
     * second half of the nodes replicas of the first half if the cluster has replicas, and waits
     * until every node reports the cluster ok and every replica follows its primary.
     */
    private void formCluster() throws IOException, InterruptedException {
        List<Node> primaries = hasClusterReplicas() ? nodes.subList(0, 3) : nodes;
        for (int i = 0; i < primaries.size(); i++) {
            expect(
                    primaries.get(i),
                    "CLUSTER ADDSLOTSRANGE "
                            + firstSlot(i, primaries.size())
                            + " "
                            + (firstSlot(i + 1, primaries.size()) - 1),
                    "+OK");
        }
        for (Node node : nodes.subList(1, nodes.size())) {
            expect(
                    nodes.get(0),
                    "CLUSTER MEET " + host() + " " + node.port + " " + node.busPort,
                    "+OK");
        }
        long deadline = System.currentTimeMillis() + 30_000;
        if (hasClusterReplicas()) {
            for (int i = 0; i < primaries.size(); i++) {
                Node replica = nodes.get(primaries.size() + i);
                String primaryId = nodeId(primaries.get(i));
                // A node replicates only a primary it has heard of through the cluster bus.
                while (!send(replica, "CLUSTER REPLICATE " + primaryId).startsWith("+OK")) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException(
                                "node " + replica.port + " cannot replicate " + primaryId);
                    }
                    Thread.sleep(50);
                }
            }
            for (int i = 0; i < primaries.size(); i++) {
                awaitInSync(primaries.get(i), nodes.get(primaries.size() + i), deadline);
            }
        }
        for (Node node : nodes) {
            while (!send(node, "CLUSTER INFO").contains("cluster_state:ok")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "the Redis Cluster did not form: " + send(node, "CLUSTER INFO"));
                }
                Thread.sleep(50);
            }
        }
    }

    private void expect(Node node, String command, String reply) throws IOException {
        String answer = send(node, command);
        if (!answer.startsWith(reply)) {
            throw new IOException(command + " on port " + node.port + " answered " + answer);
        }
    }

    /** The first of the slots the {@code i}th of {@code primaries} primaries is given. */
    private static int firstSlot(int i, int primaries) {
        return CLUSTER_SLOTS * i / primaries;
    }

    private String nodeId(Node node) throws IOException {
        // A bulk string: $40, then the id.
        return send(node, "CLUSTER MYID").lines().skip(1).findFirst().orElseThrow().trim();
    }

    /**
     * Waits until the replica of the {@code shard}th primary (0, 1 or 2: the first, second or last
     * third of the slots) has every write the primary took, then kills that primary (SIGKILL) for
     * the replica to take over.
     */
    public synchronized void killClusterPrimary(int shard)
            throws IOException, InterruptedException {
        if (!hasClusterReplicas()) {
            throw new IllegalStateException("only a clusterWithReplicas() fails over");
        }
        Node primary = nodes.get(shard);
        if (primary.process == null) {
            throw new IllegalStateException("primary " + shard + " is already down");
        }
        killInSync(primary, nodes.get(3 + shard));
    }

    /**
     * Gives {@code slot}, which must hold no key, from the primary it was first given to the next
     * one, telling every node (as a resharding does when it is done with a slot): clients that
     * mapped the slots before get a MOVED reply for it.
     */
    public synchronized void moveEmptySlot(int slot) throws IOException {
        assignSlotToNextPrimary(slot);
    }

    /**
     * Starts moving {@code slot} from the primary it was first given to the next one, as a
     * resharding does ({@code CLUSTER SETSLOT} IMPORTING on the target, MIGRATING on the source),
     * and moves {@code keys} of it now: until {@link #finishSlotMigration} the source answers a
     * command for one of those keys with an ASK reply naming the target.
     */
    public synchronized void startSlotMigration(int slot, List<byte[]> keys) throws IOException {
        Node source = slotOwner(slot);
        Node target = nextPrimary(source);
        expect(target, "CLUSTER SETSLOT " + slot + " IMPORTING " + nodeId(source), "+OK");
        expect(source, "CLUSTER SETSLOT " + slot + " MIGRATING " + nodeId(target), "+OK");
        migrateKeys(source, target, keys);
    }

    /**
     * Moves the remaining {@code keys} of a slot {@link #startSlotMigration} started moving and
     * gives the slot to the target on every node, which ends the migration.
     */
    public synchronized void finishSlotMigration(int slot, List<byte[]> keys) throws IOException {
        Node source = slotOwner(slot);
        migrateKeys(source, nextPrimary(source), keys);
        assignSlotToNextPrimary(slot);
    }

    private void migrateKeys(Node source, Node target, List<byte[]> keys) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        // Binary keys (Feast's are): a RESP array, not an inline command.
        List<byte[]> args = new ArrayList<>();
        for (String arg :
                List.of("MIGRATE", host(), Integer.toString(target.port), "", "0", "5000")) {
            args.add(arg.getBytes(StandardCharsets.US_ASCII));
        }
        if (user != null) {
            for (String arg : List.of("AUTH2", user, password)) {
                args.add(arg.getBytes(StandardCharsets.US_ASCII));
            }
        }
        args.add("KEYS".getBytes(StandardCharsets.US_ASCII));
        args.addAll(keys);
        String reply = exchange(source, resp(args));
        if (!reply.startsWith("+OK")) {
            throw new IOException("MIGRATE from port " + source.port + " answered " + reply);
        }
    }

    /** Gives {@code slot} to the primary after the one it was first given to, on every node. */
    private void assignSlotToNextPrimary(int slot) throws IOException {
        Node target = nextPrimary(slotOwner(slot));
        String command = "CLUSTER SETSLOT " + slot + " NODE " + nodeId(target);
        expect(target, command, "+OK");
        for (Node node : nodes) {
            if (node != target) {
                expect(node, command, "+OK");
            }
        }
    }

    /** The primary {@code slot} was first given to. */
    private Node slotOwner(int slot) {
        if (topology != Topology.CLUSTER) {
            throw new IllegalStateException("only a cluster() moves slots");
        }
        int owner = 0;
        while (firstSlot(owner + 1, nodes.size()) <= slot) {
            owner++;
        }
        return nodes.get(owner);
    }

    private Node nextPrimary(Node primary) {
        return nodes.get((nodes.indexOf(primary) + 1) % nodes.size());
    }

    /** Stops the servers abruptly (SIGKILL), like a crash; data is not persisted. */
    public synchronized void stop() throws InterruptedException {
        List<Node> all = new ArrayList<>(nodes);
        if (sentinel != null) {
            all.add(sentinel);
        }
        for (Node node : all) {
            if (node.process != null) {
                node.process.destroyForcibly();
                node.process.waitFor(10, TimeUnit.SECONDS);
                node.process = null;
            }
        }
    }

    public boolean isRunning() {
        return nodes.stream().allMatch(node -> node.process != null && node.process.isAlive());
    }

    /**
     * Removes every key on every live primary (replicas refuse writes and follow), so tests in one
     * class start clean.
     */
    public void flushAll() throws IOException {
        for (Node node : nodes) {
            if (node.process != null && send(node, "ROLE").contains("master")) {
                expect(node, "FLUSHALL", "+OK");
            }
        }
    }

    /**
     * Rotates the password of the kit's ACL user as an operator does: on every node the user keeps
     * only {@code newPassword}, then every other connection logged in as the user is closed, so its
     * clients must log in again. The kit's own commands log in with the new password from then on.
     * Not for a Sentinel's servers, whose replica and Sentinel would keep the old one.
     */
    public synchronized void rotatePassword(String newPassword) throws IOException {
        if (user == null || topology == Topology.SENTINEL) {
            throw new IllegalStateException(
                    "rotatePassword needs a server or cluster with a user (withUser, clusterWithUser)");
        }
        for (Node node : nodes) {
            expect(node, "ACL SETUSER " + user + " resetpass >" + newPassword, "+OK");
        }
        password = newPassword;
        for (Node node : nodes) {
            // The reply is the number of connections closed; the kit's own is skipped (SKIPME).
            expect(node, "CLIENT KILL USER " + user, ":");
        }
    }

    /**
     * Sends {@code command} as the server's admin (plain Redis commands, e.g. {@code SCRIPT FLUSH})
     * to every node and returns the replies' first lines, upper-cased.
     */
    public List<String> sendToEveryNode(String command) throws IOException {
        List<String> replies = new ArrayList<>();
        for (Node node : nodes) {
            replies.add(
                    send(node, command).lines().findFirst().orElse("").toUpperCase(Locale.ROOT));
        }
        return replies;
    }

    private boolean answersPing(Node node) {
        try {
            return send(node, "PING").startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    // A bare RESP inline command keeps the kit independent of the Jedis version under test.
    private String send(Node node, String inlineCommand) throws IOException {
        return exchange(node, (inlineCommand + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code args} as a RESP array of bulk strings, which may hold any bytes. */
    private static byte[] resp(List<byte[]> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : args) {
            out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(arg);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** Sends one command as the server's admin and returns the start of its reply. */
    private String exchange(Node node, byte[] command) throws IOException {
        int port = node.port;
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host(), port), 500);
            plain.setSoTimeout(2_000);
            Socket socket =
                    tls
                            ? TestCertificates.get()
                                    .clientContext()
                                    .getSocketFactory()
                                    .createSocket(plain, host(), port, true)
                            : plain;
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (user != null && node != sentinel) {
                out.write(
                        ("AUTH " + user + " " + password + "\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // "+OK\r\n" or an error line; the command's reply says which.
                readLine(in);
            }
            out.write(command);
            out.flush();
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        }
    }

    private static void readLine(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b != -1 && b != '\n');
    }

    /** A loopback port that no server of the test kit will bind: an address nobody answers on. */
    public static int unusedPort() throws IOException {
        return freePort();
    }

    /**
     * A port free now and never handed out before in this JVM: the ports of one extension are all
     * chosen before its first server binds any, and the system may offer a port twice meanwhile.
     */
    private static int freePort() throws IOException {
        synchronized (HANDED_OUT) {
            while (true) {
                try (ServerSocket socket =
                        new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                    if (HANDED_OUT.add(socket.getLocalPort())) {
                        return socket.getLocalPort();
                    }
                }
            }
        }
    }
}
