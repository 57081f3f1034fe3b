package io.vigil.cli.commands;

import io.vigil.cli.KafkaOptions;
import io.vigil.cli.KafkaTopics;
import io.vigil.cli.ShutdownSignal;
import io.vigil.cli.Usage;
import io.vigil.cli.review.ReviewQueueService;
import io.vigil.cli.review.ReviewServiceConfig;
import io.vigil.schemas.topics.TopicRegistry;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil review serve}: the review queue service until Ctrl-C. Its state comes from the
 * drift-alerts and reviews topics, read from the beginning at every start; see docs/drift.md.
 */
@Command(
        name = "serve",
        description = {
            "Serve the drift-alert review queue: a page for reviewers (GET /), a JSON API"
                    + " (/api/alerts, /api/reviews), /healthz and /metrics, on one port.",
            "The queue is rebuilt from the drift-alerts and reviews topics at every start; a"
                    + " verdict writes its reviews and retrain requests in one Kafka transaction."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ReviewServeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8090",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description =
                    "Address to listen on (default: ${DEFAULT-VALUE}); expose it only behind an"
                            + " authenticating proxy.")
    String bind;

    @Option(
            names = "--transactional-id",
            paramLabel = "ID",
            defaultValue = "vigil-review-queue",
            description =
                    "Kafka transactional id of the review writer (default: ${DEFAULT-VALUE}). A"
                            + " second instance with the same id fences the first: one writer.")
    String transactionalId;

    @Option(
            names = "--reviewer-header",
            paramLabel = "HEADER",
            description =
                    "Take the reviewer from this request header (e.g. X-Forwarded-User, set by an"
                            + " authenticating proxy) instead of the request body; verdicts"
                            + " without it are refused (401).")
    String reviewerHeader;

    @Option(
            names = "--public-origin",
            paramLabel = "ORIGIN",
            description =
                    "Where reviewers' browsers load the page from, e.g. https://review.example.com,"
                            + " when a proxy in front rewrites the Host header (repeatable). Given,"
                            + " a verdict from a page is accepted from these origins only; else"
                            + " from the origin the Host header names.")
    List<String> publicOrigins;

    @Mixin KafkaOptions kafka;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        ReviewServiceConfig config = Usage.check(spec, this::config);
        PrintWriter out = spec.commandLine().getOut();
        TopicRegistry topics = config.topics();
        try (KafkaTopics admin = new KafkaTopics(kafka)) {
            admin.ensureExist(
                    List.of(topics.driftAlerts(), topics.reviews(), topics.retrainRequests()));
        }
        try (ShutdownSignal signal = new ShutdownSignal(stop::countDown);
                ReviewQueueService service = ReviewQueueService.start(config)) {
            out.println(
                    "review queue at "
                            + service.url()
                            + "/ reading "
                            + topics.driftAlerts().name()
                            + " and "
                            + topics.reviews().name()
                            + " at "
                            + kafka.bootstrap()
                            + "; Ctrl-C ends");
            out.flush();
            while (stop.getCount() > 0 && !service.awaitCaughtUp(Duration.ofSeconds(10))) {
                out.println("still reading the topics…");
                out.flush();
            }
            if (stop.getCount() > 0) {
                out.println("caught up with the topics; accepting verdicts");
                out.flush();
            }
            stop.await();
        }
        return 0;
    }

    private ReviewServiceConfig config() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        return new ReviewServiceConfig(
                kafka.clientProperties(),
                kafka.topics(),
                transactionalId,
                new InetSocketAddress(bind, port),
                reviewerHeader,
                publicOrigins == null ? List.of() : publicOrigins);
    }
}
