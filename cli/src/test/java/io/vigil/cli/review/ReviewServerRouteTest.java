package io.vigil.cli.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.review.ReviewServer.Route;
import org.junit.jupiter.api.Test;

class ReviewServerRouteTest {

    @Test
    void eachPathIsServedExactly() {
        assertThat(Route.of("/")).isEqualTo(Route.PAGE);
        assertThat(Route.of("/review")).isEqualTo(Route.FORM);
        assertThat(Route.of("/api/alerts")).isEqualTo(Route.ALERTS);
        assertThat(Route.of("/api/alerts/a1")).isEqualTo(Route.ALERT);
        assertThat(Route.of("/api/reviews")).isEqualTo(Route.REVIEWS);
        assertThat(Route.of("/healthz")).isEqualTo(Route.HEALTH);
        assertThat(Route.of("/metrics")).isEqualTo(Route.METRICS);
    }

    @Test
    void aPathThatOnlyStartsLikeOneIsNone() {
        for (String path :
                new String[] {
                    "/reviewXYZ",
                    "/review/",
                    "/healthzfoo",
                    "/healthz/",
                    "/metricsfoo",
                    "/api/reviewsX",
                    "/api/reviews/1",
                    "/api/alertsXYZ",
                    "/api/alerts/",
                    "/api/alerts/a1/review",
                    "/index.html",
                    ""
                }) {
            assertThat(Route.of(path)).as(path).isEqualTo(Route.NONE);
        }
    }

    @Test
    void anAlertIdIsOneNonEmptySegment() {
        assertThat(ReviewServer.alertId("/api/alerts/9b2c-41")).contains("9b2c-41");
        assertThat(ReviewServer.alertId("/api/alerts/")).isEmpty();
        assertThat(ReviewServer.alertId("/api/alerts/a/b")).isEmpty();
        assertThat(ReviewServer.alertId("/api/alertsa1")).isEmpty();
    }
}
