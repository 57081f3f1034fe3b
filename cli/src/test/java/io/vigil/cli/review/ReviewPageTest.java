package io.vigil.cli.review;

import static io.vigil.cli.review.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.ReviewVerdict;
import org.junit.jupiter.api.Test;

class ReviewPageTest {

    private static final String ATTACK = "<script>alert('x')</script>\"><img src=x onerror=y>&";

    @Test
    void escapesTheFiveHtmlCharacters() {
        assertThat(Html.escape("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;");
        assertThat(Html.escape(null)).isEmpty();
    }

    @Test
    void everyRecordValueOnThePageIsEscaped() {
        ReviewQueue queue = new ReviewQueue();
        queue.addAlert(hostile("p1"));
        queue.addAlert(hostile("r1"));
        queue.addReview(TestAlerts.review(ATTACK + "r1", ReviewVerdict.REJECTED, ATTACK, ATTACK));

        String page =
                ReviewPage.render(
                        queue.pendingGroups(), queue.entries(AlertStatus.REVIEWED), ATTACK, true);

        assertThat(page)
                .doesNotContain("<script>", "<img", "'x'")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img")
                .contains("name=\"alert_id\" value=\"" + Html.escape(ATTACK + "p1") + "\"");
    }

    @Test
    void listsEachPendingGroupWithItsFormAndSaysWhenStillReading() {
        ReviewQueue queue = new ReviewQueue();
        queue.addAlert(alert("a1", "alpha", "3", 0));
        queue.addAlert(alert("b1", "beta", "1", 0));

        String page = ReviewPage.render(queue.pendingGroups(), java.util.List.of(), null, false);

        assertThat(page)
                .contains("alpha version 3 — 1 alert", "beta version 1 — 1 alert")
                .contains("<td>tx_amount</td><td>PSI</td><td class=\"n over\">0.3100</td>")
                .contains("2018-06-01 00:00:00 UTC – 2018-06-08 00:00:00 UTC", "12,345")
                .contains("<input name=\"reviewer\" required")
                .contains("<input name=\"train_from\"", "<input name=\"train_to\"")
                .contains("Still reading the topics")
                .contains("None yet.");
        assertThat(page.split("<form method=\"post\" action=\"/review\">", -1)).hasSize(3);
    }

    private static DriftAlert hostile(String suffix) {
        return alert(ATTACK + suffix, ATTACK, ATTACK, 0, ATTACK);
    }
}
