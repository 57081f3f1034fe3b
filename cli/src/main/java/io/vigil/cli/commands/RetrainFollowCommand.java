package io.vigil.cli.commands;

import io.vigil.cli.Converters;
import io.vigil.cli.KafkaOptions;
import io.vigil.cli.KafkaTopics;
import io.vigil.cli.ProgressOptions;
import io.vigil.cli.ShutdownSignal;
import io.vigil.cli.Usage;
import io.vigil.cli.retrain.RetrainMetrics;
import io.vigil.cli.retrain.RetrainOutcome;
import io.vigil.cli.retrain.RetrainRequestLoop;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.topics.TopicRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil retrain follow}: the reference trainer as a long-running member of consumer group
 * {@code --group-id} on {@code <prefix>retrain-requests}. Each approved request is trained, both
 * versions registered and the better one made challenger ({@link RetrainRequestHandler}); offsets
 * are committed once a request is handled ({@link RetrainRequestLoop}). Runs until SIGINT/SIGTERM,
 * or until {@code --max-requests} were handled.
 */
@Command(
        name = "follow",
        description = {
            "Consume approved retrain requests and handle each: train logistic regression and"
                    + " XGBoost on its window, register both with its base version as parent, and"
                    + " make the better one on --select-by the challenger (never the champion).",
            "Window: the request's train_from/train_to, else train_to = the UTC day start of"
                    + " requested_at - --label-delay and train_from = train_to - --train-days;"
                    + " labels known at requested_at; the last --validation is the validation"
                    + " period.",
            "A request handled before (same request_id in the audit log) is a duplicate and"
                    + " changes nothing; one that can never be handled (unknown model, bad window,"
                    + " no labelled rows, training failed) is refused on stderr. Either way its"
                    + " offset is committed and the next request follows.",
            "A transient failure (Kafka or the registry unavailable) commits nothing: the same"
                    + " request is tried again after --retry-backoff, doubled after each failure"
                    + " up to --retry-backoff-max, until it is handled or the follower stops.",
            "At start, <prefix>features, <prefix>labels and <prefix>retrain-requests must exist,"
                    + " else the"
                    + " follower exits 1 naming them; a topic missing later is transient."
        },
        footer = {
            "",
            "Metrics on http://<host>:--metrics-port/metrics: vigil_retrain_runs_total{outcome}"
                    + " (registered, refused, duplicate, retried),"
                    + " vigil_retrain_duration_seconds{outcome},"
                    + " vigil_retrain_last_success_timestamp_seconds.",
            "Model events go to <prefix>model-events: --bootstrap or $VIGIL_BOOTSTRAP must name"
                    + " the Kafka cluster."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class RetrainFollowCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--group-id",
            paramLabel = "GROUP",
            defaultValue = "vigil-retrainer",
            description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(
            names = "--label-delay",
            paramLabel = "DURATION",
            defaultValue = "P7D",
            converter = Converters.DurationConverter.class,
            description =
                    "An unlabelled transaction this old at requested_at is legitimate; also how far"
                            + " before requested_at a derived window ends (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration labelDelay;

    @Option(
            names = "--train-days",
            paramLabel = "DURATION",
            defaultValue = "P7D",
            converter = Converters.DurationConverter.class,
            description =
                    "Length of a derived window, validation included (default: ${DEFAULT-VALUE},"
                            + " the handbook's week).")
    Duration trainDays;

    @Option(
            names = "--challenger-mode",
            paramLabel = "shadow|canary",
            defaultValue = "shadow",
            converter = ModelConverters.ModeConverter.class,
            description = "How the new challenger takes part (default: ${DEFAULT-VALUE}).")
    ChallengerMode challengerMode;

    @Option(
            names = "--canary-share",
            paramLabel = "FRACTION",
            description = "A canary challenger's share of customers, in (0, 1], e.g. 0.1.")
    Double canaryShare;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9262",
            description = "Port of /metrics (default: ${DEFAULT-VALUE}; 0: no metrics server).")
    int metricsPort;

    @Option(
            names = "--max-requests",
            paramLabel = "N",
            defaultValue = "0",
            description = "Exit after handling N requests (default: 0, run until interrupted).")
    long maxRequests;

    @Option(
            names = "--retry-backoff",
            paramLabel = "DURATION",
            defaultValue = "PT5S",
            converter = Converters.DurationConverter.class,
            description =
                    "Wait after a request's first transient failure (default: ${DEFAULT-VALUE}).")
    Duration retryBackoff;

    @Option(
            names = "--retry-backoff-max",
            paramLabel = "DURATION",
            defaultValue = "PT5M",
            converter = Converters.DurationConverter.class,
            description = "Longest wait between two attempts (default: ${DEFAULT-VALUE}).")
    Duration retryBackoffMax;

    @Option(
            names = "--actor",
            paramLabel = "WHO",
            defaultValue = "retrain-follower",
            description =
                    "Who the registry changes are by, for the audit log (default: ${DEFAULT-VALUE}).")
    String actor;

    @Mixin TrainingOptions training;

    @Mixin ModelBandsOptions bands;

    @Mixin ModelRegistryOptions where;

    @Mixin KafkaOptions kafka;

    @Mixin ProgressOptions progress;

    private volatile boolean stopped;

    @Override
    public Integer call() {
        TopicRegistry topics = Usage.check(spec, kafka::topics);
        Usage.check(spec, this::validate);
        if (!ModelRegistryWriter.publishes(spec)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "the scoring job swaps models on the model events the follower publishes:"
                            + " name the Kafka cluster with --bootstrap or $VIGIL_BOOTSTRAP");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RetrainRequestHandler.Policy policy =
                Usage.check(
                        spec,
                        () ->
                                new RetrainRequestHandler.Policy(
                                        trainDays,
                                        training.settings(labelDelay, bands.bands()),
                                        challengerMode,
                                        canaryShare == null ? 0 : canaryShare,
                                        actor));
        FeaturesTopicReader reader =
                new FeaturesTopicReader(kafka, Usage.check(spec, progress::mode), err);
        String topic = topics.retrainRequests().name();
        // Missing at start means a wrong --topic-prefix, not a slow Kafka: say so rather than retry
        // every request forever.
        try (KafkaTopics admin = new KafkaTopics(kafka)) {
            List<String> missing =
                    admin.missing(List.of(topics.features().name(), topics.labels().name(), topic));
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        "no topic "
                                + String.join(", ", missing)
                                + " at "
                                + kafka.bootstrap()
                                + " (check --topic-prefix, now '"
                                + kafka.topicPrefix()
                                + "')");
            }
        }
        // The signal closes last, so a SIGTERM waits for the consumer to leave the group.
        try (ShutdownSignal signal = new ShutdownSignal(() -> stopped = true);
                ModelRegistryWriter writer = ModelRegistryWriter.open(spec, where, kafka, false);
                RetrainMetrics metrics =
                        metricsPort == 0
                                ? RetrainMetrics.unserved()
                                : RetrainMetrics.serve(metricsPort);
                RetrainRequestLoop loop =
                        new RetrainRequestLoop(
                                kafka.clientProperties(),
                                groupId,
                                topic,
                                metrics,
                                out,
                                err,
                                Clock.systemUTC(),
                                new RetrainRequestLoop.Backoff(retryBackoff, retryBackoffMax))) {
            out.println(
                    "following "
                            + topic
                            + " at "
                            + kafka.bootstrap()
                            + " as group "
                            + groupId
                            + "; registry "
                            + writer.registry().root().toAbsolutePath()
                            + (metricsPort == 0
                                    ? "; no metrics server"
                                    : "; metrics on port " + metrics.port()));
            out.flush();
            long handled =
                    loop.run(
                            new RetrainRequestHandler(writer.registry(), reader, topics, policy),
                            maxRequests,
                            () -> stopped);
            out.printf(
                    "handled %d requests: %d registered, %d duplicate, %d refused; %d attempts"
                            + " retried%s%n",
                    handled,
                    metrics.runs(RetrainOutcome.REGISTERED),
                    metrics.runs(RetrainOutcome.DUPLICATE),
                    metrics.runs(RetrainOutcome.REFUSED),
                    metrics.runs(RetrainOutcome.RETRIED),
                    signal.signalled() ? " (interrupted)" : "");
            out.flush();
        }
        return 0;
    }

    private Void validate() {
        if (groupId.isBlank()) {
            throw new IllegalArgumentException("--group-id must not be blank");
        }
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "--label-delay must not be negative, got " + labelDelay);
        }
        if (trainDays.isNegative() || trainDays.isZero()) {
            throw new IllegalArgumentException("--train-days must be positive, got " + trainDays);
        }
        if (training.validation.compareTo(trainDays) >= 0) {
            throw new IllegalArgumentException(
                    "--validation "
                            + training.validation
                            + " must be shorter than --train-days "
                            + trainDays
                            + ": a derived window would leave nothing to train on");
        }
        if (challengerMode == ChallengerMode.CANARY
                && (canaryShare == null || !(canaryShare > 0 && canaryShare <= 1))) {
            throw new IllegalArgumentException(
                    "a canary challenger needs --canary-share in (0, 1], e.g. --canary-share 0.1,"
                            + " got "
                            + canaryShare);
        }
        if (challengerMode != ChallengerMode.CANARY && canaryShare != null) {
            throw new IllegalArgumentException(
                    "--canary-share is only for --challenger-mode canary (a shadow challenger never"
                            + " decides)");
        }
        if (metricsPort < 0 || metricsPort > 65_535) {
            throw new IllegalArgumentException(
                    "--metrics-port must be in [0, 65535], got " + metricsPort);
        }
        if (retryBackoff.isNegative() || retryBackoff.isZero()) {
            throw new IllegalArgumentException(
                    "--retry-backoff must be positive, got " + retryBackoff);
        }
        if (retryBackoffMax.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException(
                    "--retry-backoff-max "
                            + retryBackoffMax
                            + " must not be shorter than --retry-backoff "
                            + retryBackoff);
        }
        if (maxRequests < 0) {
            throw new IllegalArgumentException(
                    "--max-requests must be at least 0, got " + maxRequests);
        }
        return null;
    }
}
