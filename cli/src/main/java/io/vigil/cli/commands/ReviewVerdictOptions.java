package io.vigil.cli.commands;

import io.vigil.cli.review.ReviewException;
import io.vigil.cli.review.ReviewSubmission;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The alerts, reviewer and comment of {@code vigil review approve} and {@code reject}. */
public final class ReviewVerdictOptions {

    @Parameters(arity = "1..*", paramLabel = "ALERT_ID", description = "The alerts to decide on.")
    List<String> alertIds;

    @Option(
            names = "--reviewer",
            required = true,
            paramLabel = "NAME",
            description = "Who decides (recorded in the review and the retrain request).")
    String reviewer;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the record.")
    String comment;

    /** The validated submission; an invalid one is an IllegalArgumentException (bad usage). */
    ReviewSubmission submission(ReviewVerdict verdict, Instant trainFrom, Instant trainTo) {
        try {
            return new ReviewSubmission(alertIds, verdict, reviewer, comment, trainFrom, trainTo);
        } catch (ReviewException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
