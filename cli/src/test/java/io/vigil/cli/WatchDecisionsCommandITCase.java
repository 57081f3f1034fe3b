package io.vigil.cli;

import static io.vigil.cli.TestDecisions.approvedByChampion;
import static io.vigil.cli.TestDecisions.score;
import static io.vigil.cli.VigilCommandITCase.prefixOf;
import static io.vigil.cli.VigilCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCommandTest.Run;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil watch decisions} on a real broker, reading decisions as the scoring job writes them.
 */
class WatchDecisionsCommandITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir static Path dir;
    private static Path registry;

    @BeforeAll
    static void registerModels() {
        registry = TestRegistry.championAndChallenger(dir.resolve("registry"));
    }

    @Test
    void summarizesBandsRolesAgreementAndFallbacksWithoutDuplicates() {
        TopicRegistry topics = KAFKA.freshTopics();
        // Champion 1 and challenger 2 both review from 0.5 and decline from 0.9: they disagree
        // on the second and fourth transaction.
        double[][] scores = {
            {0.1, 0.2}, {0.2, 0.6}, {0.6, 0.7}, {0.7, 0.4}, {0.95, 0.92}, {0.3, 0.1}
        };
        String[] bands = {"approve", "approve", "review", "review", "decline", "approve"};
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            decisions.add(
                    approvedByChampion("tx" + i)
                            .setBand(bands[i])
                            .setChampion(score("1", scores[i][0]))
                            .setChallenger(score("2", scores[i][1]))
                            .setChallengerMode(ChallengerMode.SHADOW)
                            .setLatency(new LatencyBreakdown(0L, 0L, 0L, 2_000L))
                            .build());
        }
        String[] reasons = {"redis_unavailable", "redis_unavailable", "no_champion"};
        for (int i = 0; i < reasons.length; i++) {
            decisions.add(
                    approvedByChampion("fb" + i)
                            .setBand(i < 2 ? "review" : "approve")
                            .setDecidedBy(ModelRole.FALLBACK)
                            .setChampion(null)
                            .setFallbackReason(reasons[i])
                            .setLatency(new LatencyBreakdown(0L, 0L, 0L, 2_000L))
                            .build());
        }
        decisions.add(decisions.get(0)); // at-least-once: the same transaction again
        produce(topics, decisions, true);

        Run run =
                vigil(
                        "watch",
                        "decisions",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic-prefix",
                        prefixOf(topics),
                        "--registry",
                        registry.toString(),
                        "--from-beginning",
                        "--interval",
                        "1s",
                        "--samples",
                        "3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0))
                .isEqualTo(
                        "watching "
                                + topics.decisions().name()
                                + " at "
                                + KAFKA.bootstrapServers()
                                + " from the beginning; Ctrl-C ends");
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(1, 4)).allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  .*"));
        assertThat(lines.get(4))
                .matches("total over \\d s: \\d decisions/s  .*")
                .endsWith(
                        "latency p50 2.0 ms p99 2.0 ms"
                                + " | approve 4  review 4  decline 1"
                                + " | champion 6  challenger 0  fallback 3"
                                + " | agreement 66.7% of 6 (shadow)"
                                + " | fallbacks: redis_unavailable 2  no_champion 1"
                                + " | duplicates 1 | undecodable 1");
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith(
                        "vigil watch decisions: skipped malformed record in topic "
                                + topics.decisions().name())
                .contains("not Avro single-object encoded");
    }

    @Test
    void showsDecisionsAsTheyArrive() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        produce(topics, List.of(approvedByChampion("old").build()), false);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> watch =
                CompletableFuture.supplyAsync(
                        () ->
                                VigilCommand.run(
                                        new String[] {
                                            "watch",
                                            "decisions",
                                            "--bootstrap",
                                            KAFKA.bootstrapServers(),
                                            "--topic-prefix",
                                            prefixOf(topics),
                                            "--registry",
                                            registry.toString(),
                                            "--interval",
                                            "500ms",
                                            "--samples",
                                            "6"
                                        },
                                        new PrintWriter(out, true),
                                        new PrintWriter(err, true)));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> out.toString().contains("watching"));

        List<Decision> fresh = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fresh.add(approvedByChampion("new" + i).build());
        }
        produce(topics, fresh, false);

        assertThat(watch.get()).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines)
                .anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  [1-9][0-9,]* decisions/s  .*"));
        // The decision written before the watch started is not counted.
        assertThat(lines.get(lines.size() - 1))
                .contains("| champion 50  challenger 0  fallback 0 | no challenger");
    }

    @Test
    void aMissingTopicIsOneLine() {
        Run run =
                vigil(
                        "watch",
                        "decisions",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic-prefix",
                        "nope.",
                        "--registry",
                        registry.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines())
                .containsExactly(
                        "vigil: no topic nope.decisions at "
                                + KAFKA.bootstrapServers()
                                + " (start the stack with ./vigil up and the scoring job with"
                                + " infra/bin/submit-scoring-job.sh)");
    }

    private static void produce(
            TopicRegistry topics, List<Decision> decisions, boolean andGarbage) {
        AvroSerde<Decision> serde = AvroSerde.of(Decision.class);
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
            for (Decision d : decisions) {
                producer.send(
                        new ProducerRecord<>(
                                topics.decisions().name(),
                                d.getTransactionId().getBytes(StandardCharsets.UTF_8),
                                serde.serialize(d)));
            }
            if (andGarbage) {
                producer.send(
                        new ProducerRecord<>(
                                topics.decisions().name(),
                                "bad".getBytes(StandardCharsets.UTF_8),
                                "garbage".getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }
}
