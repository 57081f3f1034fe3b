package io.vigil.cli.review;

import static io.vigil.cli.review.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.RetrainRequest;
import io.vigil.schemas.Review;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ReviewBatchTest {

    private static final Instant NOW = Instant.parse("2018-06-09T10:00:00Z");
    private static final Instant FROM = Instant.parse("2018-05-01T00:00:00Z");

    @Test
    void anApprovalWritesAReviewPerAlertAndOneRequestPerModel() {
        ReviewSubmission approval =
                new ReviewSubmission(
                        List.of("a1", "a2", "b1"),
                        ReviewVerdict.APPROVED,
                        "alice",
                        "amounts moved",
                        FROM,
                        null);

        ReviewBatch batch =
                ReviewBatch.of(
                        approval,
                        List.of(
                                alert("a1", "alpha", "3", 0),
                                alert("a2", "alpha", "3", 1),
                                alert("b1", "beta", "1", 0)),
                        NOW,
                        sequence());

        assertThat(batch.reviews())
                .extracting(Review::getReviewId, Review::getAlertId, Review::getVerdict)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("id-1", "a1", ReviewVerdict.APPROVED),
                        org.assertj.core.groups.Tuple.tuple("id-2", "a2", ReviewVerdict.APPROVED),
                        org.assertj.core.groups.Tuple.tuple("id-3", "b1", ReviewVerdict.APPROVED));
        assertThat(batch.reviews())
                .allSatisfy(
                        r -> {
                            assertThat(r.getReviewer()).isEqualTo("alice");
                            assertThat(r.getComment()).isEqualTo("amounts moved");
                            assertThat(r.getReviewedAt()).isEqualTo(NOW);
                        });
        assertThat(batch.requests()).hasSize(2);
        RetrainRequest alpha = batch.requests().get(0);
        assertThat(alpha.getRequestId()).isEqualTo("id-4");
        assertThat(alpha.getModel()).isEqualTo("alpha");
        assertThat(alpha.getBaseVersion()).isEqualTo("3");
        assertThat(alpha.getAlertIds()).containsExactly("a1", "a2");
        assertThat(alpha.getApprovedBy()).isEqualTo("alice");
        assertThat(alpha.getRequestedAt()).isEqualTo(NOW);
        assertThat(alpha.getTrainFrom()).isEqualTo(FROM);
        assertThat(alpha.getTrainTo()).isNull();
        assertThat(batch.requests().get(1).getAlertIds()).containsExactly("b1");
        assertThat(batch.notes()).isEmpty();
    }

    @Test
    void alertsOfOneModelOnSeveralVersionsAskForTheMostRecentAlertsVersion() {
        ReviewSubmission approval =
                new ReviewSubmission(
                        List.of("new", "old"), ReviewVerdict.APPROVED, "alice", null, null, null);

        ReviewBatch batch =
                ReviewBatch.of(
                        approval,
                        List.of(alert("new", "alpha", "4", 30), alert("old", "alpha", "3", 0)),
                        NOW,
                        sequence());

        assertThat(batch.requests())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getBaseVersion()).isEqualTo("4");
                            assertThat(r.getAlertIds()).containsExactly("new", "old");
                        });
        assertThat(batch.notes())
                .containsExactly(
                        "alerts of model alpha name versions 3, 4; the retrain request is based"
                                + " on 4, the version of the most recent alert new");
    }

    @Test
    void aRejectionWritesReviewsOnly() {
        ReviewSubmission rejection =
                new ReviewSubmission(
                        List.of("a1"), ReviewVerdict.REJECTED, "bob", "seasonal", null, null);

        ReviewBatch batch =
                ReviewBatch.of(rejection, List.of(alert("a1", "alpha", "3", 0)), NOW, sequence());

        assertThat(batch.reviews())
                .singleElement()
                .extracting(Review::getVerdict)
                .isEqualTo(ReviewVerdict.REJECTED);
        assertThat(batch.requests()).isEmpty();
    }

    private static Supplier<String> sequence() {
        AtomicInteger n = new AtomicInteger();
        return () -> "id-" + n.incrementAndGet();
    }
}
