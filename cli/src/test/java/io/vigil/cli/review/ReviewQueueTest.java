package io.vigil.cli.review;

import static io.vigil.cli.review.TestAlerts.alert;
import static io.vigil.cli.review.TestAlerts.review;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.review.ReviewQueue.AlertGroup;
import io.vigil.schemas.ReviewVerdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewQueueTest {

    @Test
    void aReplayedAlertIdIsKeptOnceWithItsFirstRecord() {
        ReviewQueue queue = new ReviewQueue();

        assertThat(queue.addAlert(alert("a1", "m", "1", 0))).isTrue();
        assertThat(queue.addAlert(alert("a1", "m", "2", 5))).isFalse();

        assertThat(queue.entries(AlertStatus.ALL)).singleElement();
        assertThat(queue.entry("a1").orElseThrow().alert().getVersion()).isEqualTo("1");
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void aReviewMovesItsAlertFromPendingToReviewedAndTheFirstReviewStands() {
        ReviewQueue queue = new ReviewQueue();
        queue.addAlert(alert("a1", "m", "1", 0));
        queue.addAlert(alert("a2", "m", "1", 1));

        assertThat(queue.addReview(review("a1", ReviewVerdict.APPROVED, "alice"))).isTrue();
        assertThat(queue.addReview(review("a1", ReviewVerdict.REJECTED, "bob"))).isFalse();

        assertThat(ids(queue.entries(AlertStatus.PENDING))).containsExactly("a2");
        assertThat(ids(queue.entries(AlertStatus.REVIEWED))).containsExactly("a1");
        assertThat(queue.entry("a1").orElseThrow().review().getReviewer()).isEqualTo("alice");
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void aReviewReadBeforeItsAlertStillCountsAndSurvivesAReplay() {
        ReviewQueue queue = new ReviewQueue();
        queue.addReview(review("a1", ReviewVerdict.REJECTED, "alice"));

        assertThat(queue.entry("a1")).isEmpty();
        assertThat(queue.pendingCount()).isZero();

        queue.addAlert(alert("a1", "m", "1", 0));
        queue.addAlert(alert("a1", "m", "1", 0));

        assertThat(queue.entries(AlertStatus.PENDING)).isEmpty();
        assertThat(queue.entry("a1").orElseThrow().pending()).isFalse();
    }

    @Test
    void listingsAreNewestFirst() {
        ReviewQueue queue = new ReviewQueue();
        queue.addAlert(alert("old", "m", "1", 0));
        queue.addAlert(alert("new", "m", "1", 10));
        queue.addAlert(alert("mid", "m", "1", 5));

        assertThat(ids(queue.entries(AlertStatus.ALL))).containsExactly("new", "mid", "old");
    }

    @Test
    void pendingAlertsAreGroupedByModelAndVersion() {
        ReviewQueue queue = new ReviewQueue();
        queue.addAlert(alert("b-2", "beta", "2", 0));
        queue.addAlert(alert("a-1-old", "alpha", "1", 0));
        queue.addAlert(alert("a-2", "alpha", "2", 3));
        queue.addAlert(alert("a-1-new", "alpha", "1", 7));
        queue.addAlert(alert("a-1-done", "alpha", "1", 9));
        queue.addReview(review("a-1-done", ReviewVerdict.APPROVED, "alice"));

        List<AlertGroup> groups = queue.pendingGroups();

        assertThat(groups)
                .extracting(g -> g.model() + "/" + g.version())
                .containsExactly("alpha/1", "alpha/2", "beta/2");
        assertThat(ids(groups.get(0).entries())).containsExactly("a-1-new", "a-1-old");
    }

    @Test
    void statusNamesParseInAnyCaseAndUnknownOnesSayWhatIsAccepted() {
        assertThat(AlertStatus.parse(" Reviewed")).isEqualTo(AlertStatus.REVIEWED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AlertStatus.parse("open"))
                .hasMessage("'open' is not an alert status (pending, reviewed or all)");
    }

    private static List<String> ids(List<QueueEntry> entries) {
        return entries.stream().map(QueueEntry::alertId).toList();
    }
}
