package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTlsStores;
import io.vigil.testkit.RedisExtension;
import io.vigil.testkit.TestCertificates;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@link FeastRedisWriter} and {@link FeastRedisReader} against a redis-server whose only user
 * needs a password: with the credentials rows go in and come back, also for a user with only the
 * permissions docs/security-jobs-feature-drift.md lists; refused credentials or permissions fail a
 * write at once, naming the server and the user (never the password) and giving Redis's reason,
 * instead of blocking in the outage retry loop. And against a redis-server that speaks only TLS and
 * requires a client certificate ({@code tls-auth-clients yes}, Redis's default): with the trust
 * store and key store of {@code --redis-tls-truststore} and {@code --redis-tls-keystore} rows go in
 * and come back; without the client certificate, trusting only the JVM's CAs or over plain TCP the
 * connection fails.
 */
class FeastRedisAuthITCase {
    private static final String USER = "features";
    private static final String PASSWORD = "s3cret-of-the-store";
    private static final String WRONG_PASSWORD = "not-the-password-4711";

    @RegisterExtension static final RedisExtension REDIS = RedisExtension.withUser(USER, PASSWORD);

    @RegisterExtension static final RedisExtension TLS_REDIS = RedisExtension.withTls();

    @RegisterExtension
    static final RedisExtension SENTINEL_REDIS = RedisExtension.withSentinelAndUser(USER, PASSWORD);

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

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
        assertWrittenAndRead(config(RedisAuth.of(USER, passwordFile(PASSWORD), false)));
    }

    @Test
    void withTheTlsStoresRowsAreWrittenAndReadOverMutualTls() throws Exception {
        assertWrittenAndRead(
                tlsConfig(
                        tlsStores(CERTIFICATES.clientTrustStore(), CERTIFICATES.clientKeyStore())));
    }

    @Test
    void withoutTheClientCertificateTheTlsServerRefusesTheConnection() throws IOException {
        // TLS 1.3 asks for the certificate after the handshake: the client reads either the
        // server's alert or, if the server closed first, a reset.
        assertConnectionFails(
                tlsStores(CERTIFICATES.clientTrustStore(), null),
                SocketException.class,
                SSLHandshakeException.class);
    }

    @Test
    void aServerCertificateOutsideTheTrustStoreIsRefused() throws IOException {
        // The JVM's own CAs, which did not sign the test server's certificate.
        assertConnectionFails(
                tlsStores(null, CERTIFICATES.clientKeyStore()), CertPathBuilderException.class);
    }

    @Test
    void plainTcpGetsNoAnswerFromATlsPort() {
        assertConnectionFails(RedisAuth.NONE, SocketException.class);
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

    private void assertWrittenAndRead(RedisSinkConfig config) throws InterruptedException {
        try (FeastRedisWriter writer = new FeastRedisWriter(config, retries::add);
                FeastRedisReader reader = new FeastRedisReader(config)) {
            assertThat(writer.write(List.of(OnlineStoreWrite.of(ROW))).written()).isEqualTo(1);
            assertThat(reader.read(FeatureViews.CUSTOMER_SPENDING, List.of("C1")))
                    .containsExactly(Optional.of(ROW));
        }
        assertThat(retries).isEmpty();
    }

    @SafeVarargs
    private static void assertConnectionFails(
            RedisAuth auth, Class<? extends Throwable>... rootCauses) {
        try (FeastRedisReader reader = new FeastRedisReader(tlsConfig(auth))) {
            assertThatThrownBy(() -> reader.read(FeatureViews.CUSTOMER_SPENDING, List.of("C1")))
                    .isInstanceOf(JedisConnectionException.class)
                    .rootCause()
                    .isInstanceOfAny(rootCauses);
        }
    }

    private RedisAuth tlsStores(Path trustStore, Path keyStore) throws IOException {
        Path password = Files.writeString(dir.resolve("store-password"), TestCertificates.PASSWORD);
        return RedisAuth.of(null, null, true, RedisTlsStores.of(trustStore, keyStore, password));
    }

    private static RedisSinkConfig tlsConfig(RedisAuth auth) {
        return RedisSinkConfig.of(TLS_REDIS.host(), TLS_REDIS.port(), "vigil").withAuth(auth);
    }

    /**
     * A write with {@code config} fails without a retry, its message containing {@code reason}. A
     * write that retried instead would block: the time limit fails the test instead of hanging it.
     */
    @Test
    void throughASentinelTheCredentialsWriteAndAWrongPasswordIsARefusalNotAnOutage()
            throws Exception {
        RedisSinkConfig wrong =
                RedisSinkConfig.of(SENTINEL_REDIS.topology(), "vigil")
                        .withAuth(RedisAuth.of(USER, passwordFile(WRONG_PASSWORD), false));
        assertRefusedAtOnce(
                wrong,
                SENTINEL_REDIS.topology()
                        + " refused RedisAuth[user=features, password=****, tls=false]: WRONGPASS");

        RedisSinkConfig right = wrong.withAuth(RedisAuth.of(USER, passwordFile(PASSWORD), false));
        try (FeastRedisWriter writer = new FeastRedisWriter(right, retries::add)) {
            assertThat(writer.write(List.of(OnlineStoreWrite.of(ROW))).written()).isEqualTo(1);
        }
        assertThat(retries).isEmpty();
    }

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
        try (UnifiedJedis admin = config(owner).newClient("vigil-test-admin")) {
            admin.sendCommand(Protocol.Command.ACL, args.toArray(String[]::new));
        }
        return RedisAuth.of(user, Files.writeString(dir.resolve(user), user + "-pw"), false);
    }

    private Path passwordFile(String password) throws IOException {
        return Files.writeString(dir.resolve("redis-password"), password + "\n");
    }
}
