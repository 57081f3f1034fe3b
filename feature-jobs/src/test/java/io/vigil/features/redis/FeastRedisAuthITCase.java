package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.testkit.RedisExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/**
 * {@link FeastRedisWriter} and {@link FeastRedisReader} against a redis-server whose only user
 * needs a password: with the credentials rows go in and come back, also for a user with only the
 * permissions docs/security-jobs-feature-drift.md lists; refused credentials or permissions fail a
 * write at once, naming the server and the user (never the password) and giving Redis's reason,
 * instead of blocking in the outage retry loop.
 */
class FeastRedisAuthITCase {
    private static final String USER = "features";
    private static final String PASSWORD = "s3cret-of-the-store";
    private static final String WRONG_PASSWORD = "not-the-password-4711";

    @RegisterExtension static final RedisExtension REDIS = RedisExtension.withUser(USER, PASSWORD);

    private static final FeatureRow ROW =
            new FeatureRow(
                    FeatureViews.CUSTOMER_SPENDING.name(),
                    "C1",
                    10_000,
                    0,
                    new double[] {1, 1.5, 1, 1, 1, 2});

    @TempDir Path dir;

    private final List<Exception> retries = new ArrayList<>();

    @Test
    void withTheCredentialsRowsAreWrittenAndRead() throws Exception {
        RedisSinkConfig config = config(RedisAuth.of(USER, passwordFile(PASSWORD), false));

        try (FeastRedisWriter writer = new FeastRedisWriter(config, retries::add);
                FeastRedisReader reader = new FeastRedisReader(config)) {
            assertThat(writer.write(List.of(OnlineStoreWrite.of(ROW))).written()).isEqualTo(1);
            assertThat(reader.read(FeatureViews.CUSTOMER_SPENDING, List.of("C1")))
                    .containsExactly(Optional.of(ROW));
        }
        assertThat(retries).isEmpty();
    }

    @Test
    void aWrongPasswordFailsTheWriteAtOnceSayingWhy() throws IOException {
        RedisSinkConfig config = config(RedisAuth.of(USER, passwordFile(WRONG_PASSWORD), false));

        assertRefusedAtOnce(
                config,
                "Redis at "
                        + REDIS.host()
                        + ":"
                        + REDIS.port()
                        + " refused RedisAuth[user=features, password=****, tls=false]: WRONGPASS"
                        + " invalid username-password pair or user is disabled. (check"
                        + " --redis-user, --redis-password-file and the user's ACL)");
        try (FeastRedisReader reader = new FeastRedisReader(config)) {
            assertThatThrownBy(() -> reader.read(FeatureViews.CUSTOMER_SPENDING, List.of("C1")))
                    .isInstanceOf(JedisAccessControlException.class)
                    .hasMessageStartingWith("WRONGPASS");
        }
    }

    @Test
    void noCredentialsFailTheWriteAtOnceSayingWhy() {
        assertRefusedAtOnce(
                config(RedisAuth.NONE),
                " refused RedisAuth[user=default, password=none, tls=false]: NOAUTH");
    }

    @Test
    void aUserWhoMayNotRunTheWriteScriptFailsTheWriteAtOnceSayingWhy() throws IOException {
        // Loading the script is allowed, so the refusal comes in the pipeline's replies.
        assertRefusedAtOnce(
                config(aclUser("loader", "~*", "+script|load")),
                " refused RedisAuth[user=loader, password=****, tls=false]: NOPERM");
    }

    @Test
    void theLeastPrivilegesOfTheDocsAreEnoughToWrite() throws Exception {
        RedisSinkConfig config =
                config(
                                aclUser(
                                        "writer",
                                        "~*",
                                        "+evalsha",
                                        "+script|load",
                                        "+hset",
                                        "+hmget",
                                        "+pexpire",
                                        "+set"))
                        // so that the script expires keys too
                        .withTtl(Duration.ofDays(1));

        try (FeastRedisWriter writer = new FeastRedisWriter(config, retries::add)) {
            // Its own entity: the row of the other tests may be in Redis already.
            FeatureRow row = ROW.copy();
            row.entityId = "C2";
            assertThat(writer.write(List.of(OnlineStoreWrite.of(row))).written()).isEqualTo(1);
        }
        assertThat(retries).isEmpty();
    }

    /**
     * A write with {@code config} fails without a retry, its message containing {@code reason}. A
     * write that retried instead would block: the time limit fails the test instead of hanging it.
     */
    private void assertRefusedAtOnce(RedisSinkConfig config, String reason) {
        try (FeastRedisWriter writer = new FeastRedisWriter(config, retries::add)) {
            assertThatThrownBy(
                            () ->
                                    assertTimeoutPreemptively(
                                            Duration.ofSeconds(5),
                                            () -> writer.write(List.of(OnlineStoreWrite.of(ROW)))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(reason)
                    .hasCauseInstanceOf(JedisAccessControlException.class);
        }
        assertThat(retries).isEmpty();
    }

    private static RedisSinkConfig config(RedisAuth auth) {
        return RedisSinkConfig.of(REDIS.host(), REDIS.port(), "vigil").withAuth(auth);
    }

    /** A user created on the server with {@code rules}, and its credentials. */
    private RedisAuth aclUser(String user, String... rules) throws IOException {
        List<String> args = new ArrayList<>(List.of("SETUSER", user, "on", ">" + user + "-pw"));
        args.addAll(List.of(rules));
        RedisAuth owner = RedisAuth.of(USER, passwordFile(PASSWORD), false);
        try (RedisClient admin = config(owner).newClient("vigil-test-admin")) {
            admin.sendCommand(Protocol.Command.ACL, args.toArray(String[]::new));
        }
        return RedisAuth.of(user, Files.writeString(dir.resolve(user), user + "-pw"), false);
    }

    private Path passwordFile(String password) throws IOException {
        return Files.writeString(dir.resolve("redis-password"), password + "\n");
    }
}
