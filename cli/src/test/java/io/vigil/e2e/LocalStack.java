package io.vigil.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local stack exactly as a user starts it ({@code ./vigil up}), on free ports and in its own
 * VIGIL_HOME so it never meets a developer's running stack. Always brought down after the class.
 */
public final class LocalStack implements BeforeAllCallback, AfterAllCallback {

    /** Output and exit status of one {@code ./vigil} call. */
    public record Result(int exitCode, String output) {}

    private static final java.util.Random RANDOM = new java.util.Random();
    private static final java.util.Set<Integer> TAKEN = new java.util.HashSet<>();

    private final Path repo = Path.of(System.getProperty("user.dir")).getParent();
    private final Map<String, String> env = new HashMap<>();
    private Path home;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        home = Path.of(System.getProperty("user.dir"), "target", "e2e-home");
        Files.createDirectories(home);
        env.put("VIGIL_HOME", home.toString());
        env.put("VIGIL_KAFKA_PORT", Integer.toString(freePort()));
        env.put("VIGIL_KAFKA_CONTROLLER_PORT", Integer.toString(freePort()));
        env.put("VIGIL_REDIS_PORT", Integer.toString(freePort()));
        env.put("VIGIL_FLINK_REST_PORT", Integer.toString(freePort()));
        env.put("VIGIL_FLINK_RPC_PORT", Integer.toString(freePort()));
        int prom = freePort();
        env.put("VIGIL_FLINK_PROM_PORTS", prom + "-" + (prom + 1));
        env.put("VIGIL_PROMETHEUS_PORT", Integer.toString(freePort()));
        env.put("VIGIL_SCORING_METRICS_PORT", Integer.toString(freePort()));
        env.put("VIGIL_DRIFT_METRICS_PORT", Integer.toString(freePort()));
        env.put("VIGIL_REVIEW_PORT", Integer.toString(freePort()));
        env.put("VIGIL_RETRAIN_METRICS_PORT", Integer.toString(freePort()));
        env.put("VIGIL_GUARD_METRICS_PORT", Integer.toString(freePort()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        vigil(Duration.ofMinutes(2), "down");
    }

    public Path home() {
        return home;
    }

    public int port(String variable) {
        return Integer.parseInt(env.get(variable));
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + port("VIGIL_KAFKA_PORT");
    }

    /** Runs {@code ./vigil ARGS} from the repository root with this stack's settings. */
    public Result vigil(Duration timeout, String... args) throws IOException, InterruptedException {
        return run(timeout, Map.of(), "vigil", args);
    }

    /**
     * Runs the repository's {@code path} (e.g. {@code infra/bin/submit-feature-job.sh}) with {@code
     * args}, from the repository root, with this stack's settings plus {@code extraEnv}.
     */
    public Result run(Duration timeout, Map<String, String> extraEnv, String path, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve(path).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().putAll(extraEnv);
        Path log = Files.createTempFile(home, "run-", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(
                    path
                            + " "
                            + String.join(" ", args)
                            + " did not finish within "
                            + timeout
                            + ":\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Result(process.exitValue(), output);
    }

    /** Processes of this stack still alive: any command line naming this VIGIL_HOME. */
    public List<Long> leftoverProcesses() {
        String marker = "-Dvigil.home=" + home;
        String redisDir = home.resolve("var/redis").toString();
        return ProcessHandle.allProcesses()
                .filter(
                        p -> {
                            String cmd = p.info().commandLine().orElse("");
                            return cmd.contains(marker) || redisCwd(p).equals(redisDir);
                        })
                .map(ProcessHandle::pid)
                .toList();
    }

    private static String redisCwd(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"))
                    .toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /**
     * A free port below the kernel's ephemeral range, so that no outgoing connection or random
     * Flink port takes it between this check and the stack's start (or after its stop).
     */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 20_000 + RANDOM.nextInt(12_000);
            try (ServerSocket socket =
                    new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                if (TAKEN.add(candidate) && TAKEN.add(candidate + 1)) {
                    return socket.getLocalPort();
                }
            } catch (IOException inUse) {
                // try another one
            }
        }
        throw new IOException("no free port found in 20000-32000");
    }
}
