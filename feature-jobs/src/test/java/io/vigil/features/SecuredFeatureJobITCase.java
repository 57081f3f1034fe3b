package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaAcls;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import io.vigil.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature job as a secured deployment runs it: a Kafka broker that takes only authenticated
 * clients (SASL PLAIN) and grants the job's user only the ACLs docs/security.md lists, its client
 * settings in a {@code --kafka-properties} file, and a Redis whose only ACL user needs a password,
 * given as {@code --redis-user} and {@code --redis-password-file}. Every feature of a small batch
 * reaches the feature log and Redis; without the ACL on its transactional ids the job fails, and
 * with a wrong Redis password it fails saying which server refused which user, never showing a
 * password. And as a deployment with mutual TLS to both runs it: the Kafka client's key and trust
 * stores in the properties file, Redis's in {@code --redis-tls-truststore} and {@code
 * --redis-tls-keystore}.
 */
class SecuredFeatureJobITCase {
    private static final String REDIS_USER = "feature-job";
    private static final String REDIS_PASSWORD = "s3cret-of-the-online-store";

    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.withSasl();

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.withUser(REDIS_USER, REDIS_PASSWORD);

    @RegisterExtension static final KafkaExtension TLS_KAFKA = KafkaExtension.withTls();

    @RegisterExtension static final RedisExtension TLS_REDIS = RedisExtension.withTls();

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    @TempDir Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyFeatureReachesTheFeatureLogAndRedisWithTheCredentialsOfTheFiles() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(2_000, FeatureJobFixture.Extras.NONE);
        FeatureJobConfig config = run.config(securedOptions(REDIS_PASSWORD));
        KAFKA.grant(documentedAcls(config).writeTransactionalIds(config.transactionalIdPrefix()));

        execute(config, new Configuration());

        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches(config.redis())).as("Redis vs batch computation").isEmpty();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyFeatureReachesTheFeatureLogAndRedisOverMutualTls() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(TLS_KAFKA, TLS_REDIS);
        run.produce(1_000, FeatureJobFixture.Extras.NONE);
        TestCertificates certificates = TestCertificates.get();
        Path storePassword =
                Files.writeString(dir.resolve("store-password"), TestCertificates.PASSWORD);
        FeatureJobConfig config =
                run.config(
                        "--kafka-properties", TLS_KAFKA.clientSettingsFile(dir).toString(),
                        "--redis-tls", "true",
                        "--redis-tls-truststore", certificates.clientTrustStore().toString(),
                        "--redis-tls-keystore", certificates.clientKeyStore().toString(),
                        "--redis-tls-password-file", storePassword.toString());

        execute(config, new Configuration());

        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches(config.redis())).as("Redis vs batch computation").isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutTheAclOnItsTransactionalIdsTheJobFails() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(200, FeatureJobFixture.Extras.NONE);
        FeatureJobConfig config = run.config(securedOptions(REDIS_PASSWORD));
        KAFKA.grant(documentedAcls(config));

        Throwable failure = catchThrowable(() -> execute(config, noRestarts()));

        assertThat(failure).isNotNull();
        assertThat(
                        ExceptionUtils.findThrowable(
                                failure, TransactionalIdAuthorizationException.class))
                .isPresent();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWrongRedisPasswordFailsTheJobSayingWhy() throws Exception {
        String wrongPassword = "not-the-password-4711";
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(200, FeatureJobFixture.Extras.NONE);
        FeatureJobConfig config = run.config(securedOptions(wrongPassword));
        KAFKA.grant(documentedAcls(config).writeTransactionalIds(config.transactionalIdPrefix()));

        Throwable failure = catchThrowable(() -> execute(config, noRestarts()));

        assertThat(failure).isNotNull();
        assertThat(ExceptionUtils.stringifyException(failure))
                .contains(
                        "Redis at "
                                + REDIS.host()
                                + ":"
                                + REDIS.port()
                                + " refused RedisAuth[user=feature-job, password=****, tls=false]:"
                                + " WRONGPASS")
                .doesNotContain(wrongPassword);
    }

    /**
     * The ACLs docs/security.md lists for the feature job, but for the one on its transactional ids
     * (the exactly-once feature log), which each test adds or leaves out.
     */
    private static KafkaAcls documentedAcls(FeatureJobConfig config) {
        return KafkaAcls.forPrincipal(KAFKA.clientPrincipal())
                .readTopics(config.transactionsTopic(), config.labelsTopic())
                .writeTopics(config.featuresTopic(), config.deadLetterTopic())
                .readGroup(config.groupId());
    }

    /** Deployed, the restart strategy would try again with the same settings. */
    private static Configuration noRestarts() {
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return noRestarts;
    }

    private static void execute(FeatureJobConfig config, Configuration overrides) throws Exception {
        StreamExecutionEnvironment env = FeatureJobFixture.kafkaToRedis(config, overrides);
        env.execute("secured feature job itcase");
    }

    /** The options of a secured deployment; the secrets are in files. */
    private String[] securedOptions(String redisPassword) throws IOException {
        Path passwordFile = Files.writeString(dir.resolve("redis-password"), redisPassword + "\n");
        return new String[] {
            "--kafka-properties", KAFKA.clientSettingsFile(dir).toString(),
            "--redis-user", REDIS_USER,
            "--redis-password-file", passwordFile.toString()
        };
    }
}
