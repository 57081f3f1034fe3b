package io.vigil.cli.commands;

import io.vigil.cli.Usage;
import io.vigil.cli.review.ReviewClient;
import io.vigil.cli.review.ReviewSubmission;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil review approve ALERT_ID... --reviewer NAME}: approve retraining. */
@Command(
        name = "approve",
        description = {
            "Approve drift alerts: writes a review per alert and one retrain request per model,"
                    + " in one transaction.",
            "Refused (exit 1) when an alert is unknown or already reviewed; then nothing is"
                    + " written."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ReviewApproveCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ReviewVerdictOptions verdict;

    @Option(
            names = "--train-from",
            paramLabel = "INSTANT",
            description = "Start of the training data to use, e.g. 2018-06-01T00:00:00Z.")
    Instant trainFrom;

    @Option(
            names = "--train-to",
            paramLabel = "INSTANT",
            description = "End of the training data to use.")
    Instant trainTo;

    @Mixin ReviewClientOptions where;

    @Override
    public Integer call() {
        ReviewClient client = Usage.check(spec, where::client);
        ReviewSubmission submission =
                Usage.check(
                        spec, () -> verdict.submission(ReviewVerdict.APPROVED, trainFrom, trainTo));
        return ReviewReplies.submit(spec, client, submission);
    }
}
