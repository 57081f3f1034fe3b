package io.vigil.testkit;

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
import java.util.List;
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
 * TestCertificates}.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {

    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final String user;
    private final String password;
    private final boolean durable;
    private final boolean tls;

    public RedisExtension() {
        this(null, null, false, false);
    }

    private RedisExtension(String user, String password, boolean durable, boolean tls) {
        this.user = user;
        this.password = password;
        this.durable = durable;
        this.tls = tls;
    }

    /** A server whose only user is {@code user} with {@code password} and every permission. */
    public static RedisExtension withUser(String user, String password) {
        return new RedisExtension(user, password, false, false);
    }

    /**
     * A server on a TLS port only, with {@link TestCertificates#serverKeyStore()}'s key, that
     * accepts clients presenting {@link TestCertificates#clientKeyStore()}'s certificate.
     */
    public static RedisExtension withTls() {
        return new RedisExtension(null, null, false, true);
    }

    /**
     * A server that keeps its data over {@link #stop()} and {@link #start()} (an append-only file
     * synced on every write), as a production Redis with persistence does through a restart.
     */
    public static RedisExtension durable() {
        return new RedisExtension(null, null, true, false);
    }

    private int port;
    private Process process;
    private Path workDir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        port = freePort();
        workDir = Files.createTempDirectory("vigil-redis-");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        // The log, and a durable server's append-only files.
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** Starts the server (again) on this extension's port and waits until it answers PING. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        String binary = System.getenv().getOrDefault("VIGIL_REDIS_SERVER", "redis-server");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                binary,
                                "--port",
                                tls ? "0" : Integer.toString(port),
                                "--bind",
                                "127.0.0.1",
                                "--save",
                                "",
                                "--appendonly",
                                durable ? "yes" : "no",
                                "--appendfsync",
                                "always",
                                "--dir",
                                workDir.toString(),
                                "--logfile",
                                workDir.resolve("redis.log").toString()));
        if (tls) {
            TestCertificates certificates = TestCertificates.get();
            command.addAll(
                    List.of(
                            "--tls-port",
                            Integer.toString(port),
                            "--tls-cert-file",
                            certificates.serverCertificatePem().toString(),
                            "--tls-key-file",
                            certificates.serverKeyPem().toString(),
                            "--tls-ca-cert-file",
                            certificates.clientCertificatePem().toString(),
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
        try {
            process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(new File("/dev/null"))
                            .start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run '"
                            + binary
                            + "': install Redis with infra/bin/ensure-redis.sh (or apt-get install"
                            + " -y redis-server)",
                    e);
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "redis-server exited with " + process.exitValue() + " on port " + port);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("redis-server did not answer on port " + port);
            }
            Thread.sleep(10);
        }
    }

    /** Stops the server abruptly (SIGKILL), like a crash; data is not persisted. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Removes every key, so tests in one class start clean. */
    public void flushAll() throws IOException {
        String reply = send("FLUSHALL");
        if (!reply.startsWith("+OK")) {
            throw new IOException("FLUSHALL failed: " + reply);
        }
    }

    private boolean answersPing() {
        try {
            return send("PING").startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    // A bare RESP inline command keeps the kit independent of the Jedis version under test.
    private String send(String inlineCommand) throws IOException {
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
            if (user != null) {
                out.write(
                        ("AUTH " + user + " " + password + "\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // "+OK\r\n" or an error line; the command's reply says which.
                readLine(in);
            }
            out.write((inlineCommand + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buffer = new byte[256];
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

    private static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
