package io.vigil.cli.commands;

import io.vigil.cli.retrain.ChallengerChoice;
import io.vigil.cli.retrain.RetrainAudit;
import io.vigil.cli.retrain.RetrainOutcome;
import io.vigil.cli.retrain.RetrainRequestLoop;
import io.vigil.cli.retrain.RetrainWindow;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelAliases;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.RetrainRequest;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.trainer.ModelTraining;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One approved retrain request, as {@code vigil retrain follow} handles it: train both algorithms
 * on the request's window ({@link RetrainWindow}), register both with the request's base version as
 * parent, and make the better one on the validation metric the model's challenger. The champion is
 * never touched. Every registry change names the request ({@link RetrainAudit#reason}), which is
 * how a redelivered request is recognised and left alone (apart from publishing the model events a
 * failed publish left behind). A request interrupted part way (a crash or a transient failure
 * between its registrations, or before its challenger was set) resumes from its audit: it trains
 * only the algorithms it has not registered yet, under the same version stem, and chooses the
 * challenger from the stored metrics of all.
 *
 * <p>Fails with an exception naming the reason: an invalid or unknown model or base version, a
 * model without champion, a window without labelled rows, a training failure (refusals); Kafka or
 * the registry unavailable (transient, see {@link io.vigil.cli.TransientFailures}).
 */
final class RetrainRequestHandler implements RetrainRequestLoop.Handler {

    /** How every request is handled: the follower's options. */
    record Policy(
            Duration trainDays,
            TrainingRun.Settings training,
            ChallengerMode mode,
            double canaryShare,
            String actor) {}

    private final FileSystemModelRegistry registry;
    private final FeaturesTopicReader reader;
    private final TopicRegistry topics;
    private final Policy policy;

    RetrainRequestHandler(
            FileSystemModelRegistry registry,
            FeaturesTopicReader reader,
            TopicRegistry topics,
            Policy policy) {
        this.registry = registry;
        this.reader = reader;
        this.topics = topics;
        this.policy = policy;
    }

    @Override
    public RetrainRequestLoop.Handled handle(RetrainRequest request) {
        String model = request.getModel();
        String base = request.getBaseVersion();
        ModelMetadata.checkId("model name", model);
        ModelMetadata.checkId("base version of model " + model, base);
        List<String> existing =
                registry.versions(model).stream().map(ModelMetadata::version).toList();
        if (existing.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown model " + model + " (registered models: " + registry.models() + ")");
        }
        RetrainWindow window =
                RetrainWindow.of(request, policy.training().labelDelay(), policy.trainDays());
        String head =
                "request "
                        + request.getRequestId()
                        + ": model "
                        + model
                        + " "
                        + ModelViews.period(window.from(), window.to())
                        + " labels known at "
                        + window.labelCutoff();
        RetrainAudit earlier = RetrainAudit.of(registry.audit(model), request.getRequestId());
        if (earlier.handled()) {
            // The try that handled it may have failed only in publishing its challenger change.
            int published = registry.publishPending(model);
            return new RetrainRequestLoop.Handled(
                    RetrainOutcome.DUPLICATE,
                    head
                            + ": duplicate, handled before (registered "
                            + String.join(", ", earlier.registered())
                            + ", challenger "
                            + earlier.challenger()
                            + "); "
                            + (published == 0
                                    ? "nothing done"
                                    : "published its " + published + " unpublished model events"));
        }
        if (!existing.contains(base)) {
            throw new IllegalArgumentException(
                    "model "
                            + model
                            + " has no base version "
                            + base
                            + " (registered: "
                            + existing
                            + ")");
        }
        if (registry.aliases(model).champion() == null) {
            throw new IllegalStateException(
                    "model " + model + " has no champion; a challenger needs one");
        }

        Attribution by = new Attribution(policy.actor(), RetrainAudit.reason(request));
        // A stem the request registered under before is kept, so a resumed run completes its pair.
        String stem =
                earlier.registered().isEmpty()
                        ? TrainingRun.nextVersion(existing)
                        : TrainingRun.stem(earlier.registered().get(0));
        TrainingRun run =
                TrainingRun.plan(
                                model,
                                stem,
                                base,
                                window.from(),
                                window.to(),
                                window.labelCutoff(),
                                policy.training(),
                                "train_from",
                                "train_to")
                        .without(earlier.registered());
        List<ModelMetadata> stored = new ArrayList<>();
        for (String v : earlier.registered()) {
            stored.add(registry.metadata(model, v));
        }
        List<String> done = new ArrayList<>();
        if (!stored.isEmpty()) {
            done.add("found registered before " + versions(stored));
        }
        if (!run.isDone()) {
            FeaturesLogSlice slice = run.read(reader, topics);
            run.requireLabelledRows(slice);
            List<ModelMetadata> registered = TrainingRun.register(registry, run.train(slice), by);
            done.add("registered " + versions(registered));
            stored.addAll(registered);
        }

        ChallengerChoice choice =
                ChallengerChoice.better(
                        stored,
                        ModelTraining.validationMetric(
                                policy.training().selectBy(), policy.training().k()));
        String challenger = choice.version().version();
        ModelAliases after =
                registry.setChallenger(model, challenger, policy.mode(), policy.canaryShare(), by);
        return new RetrainRequestLoop.Handled(
                RetrainOutcome.REGISTERED,
                head
                        + ": "
                        + String.join("; ", done)
                        + " (parent "
                        + base
                        + "); "
                        + challenger
                        + " is now the "
                        + ModelViews.role(after, challenger)
                        + String.format(Locale.ROOT, ", %s %.4f", choice.metric(), choice.value()));
    }

    private static String versions(List<ModelMetadata> versions) {
        return String.join(", ", versions.stream().map(ModelMetadata::version).toList());
    }
}
