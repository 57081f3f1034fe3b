package io.vigil.cli.retrain;

import io.vigil.schemas.RetrainRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The labelled window a retrain request trains on, {@code [from, to)}, and its label cut-off.
 *
 * <p>A request's own {@code train_from} / {@code train_to} win. A missing {@code train_to} is the
 * start of the UTC day of {@code requested_at − labelDelay}: the last whole day whose unlabelled
 * transactions are old enough to count as legitimate. A missing {@code train_from} is {@code
 * trainDays} before {@code to}. The cut-off is always {@code requested_at}: the labels known when
 * the person approved, so a redelivered request trains on what the first delivery saw.
 */
public record RetrainWindow(Instant from, Instant to, Instant labelCutoff) {

    public static RetrainWindow of(
            RetrainRequest request, Duration labelDelay, Duration trainDays) {
        Instant cutoff = request.getRequestedAt();
        Instant to =
                request.getTrainTo() != null
                        ? request.getTrainTo()
                        : cutoff.minus(labelDelay).truncatedTo(ChronoUnit.DAYS);
        Instant from =
                request.getTrainFrom() != null ? request.getTrainFrom() : to.minus(trainDays);
        return new RetrainWindow(from, to, cutoff);
    }
}
