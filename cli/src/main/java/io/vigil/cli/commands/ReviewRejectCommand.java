package io.vigil.cli.commands;

import io.vigil.cli.Usage;
import io.vigil.cli.review.ReviewClient;
import io.vigil.cli.review.ReviewSubmission;
import io.vigil.schemas.ReviewVerdict;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil review reject ALERT_ID... --reviewer NAME}: no retraining for these alerts. */
@Command(
        name = "reject",
        description = {
            "Reject drift alerts: writes a review per alert, no retrain request.",
            "Refused (exit 1) when an alert is unknown or already reviewed; then nothing is"
                    + " written."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ReviewRejectCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ReviewVerdictOptions verdict;

    @Mixin ReviewClientOptions where;

    @Override
    public Integer call() {
        ReviewClient client = Usage.check(spec, where::client);
        ReviewSubmission submission =
                Usage.check(spec, () -> verdict.submission(ReviewVerdict.REJECTED, null, null));
        return ReviewReplies.submit(spec, client, submission);
    }
}
