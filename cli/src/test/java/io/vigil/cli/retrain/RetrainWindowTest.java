package io.vigil.cli.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.RetrainRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrainWindowTest {

    private static final Duration WEEK = Duration.ofDays(7);

    @Test
    void
            withoutAWindowTheRequestTrainsOnTheWeekEndingAtTheDayStartOfRequestedAtMinusTheLabelDelay() {
        RetrainWindow window =
                RetrainWindow.of(request("2018-08-15T14:30:00Z", null, null), WEEK, WEEK);

        assertThat(window.to()).isEqualTo(Instant.parse("2018-08-08T00:00:00Z"));
        assertThat(window.from()).isEqualTo(Instant.parse("2018-08-01T00:00:00Z"));
        assertThat(window.labelCutoff()).isEqualTo(Instant.parse("2018-08-15T14:30:00Z"));
    }

    @Test
    void aLabelDelayCrossingMidnightEndsTheWindowAtThatEarlierDay() {
        RetrainWindow window =
                RetrainWindow.of(
                        request("2018-08-15T01:00:00Z", null, null),
                        Duration.ofHours(36),
                        Duration.ofDays(3));

        // 2018-08-15T01:00 − 36 h = 2018-08-13T13:00, whose day starts at 2018-08-13.
        assertThat(window.to()).isEqualTo(Instant.parse("2018-08-13T00:00:00Z"));
        assertThat(window.from()).isEqualTo(Instant.parse("2018-08-10T00:00:00Z"));
    }

    @Test
    void theRequestsOwnBoundsWinAndAMissingStartIsTrainDaysBeforeItsEnd() {
        RetrainWindow both =
                RetrainWindow.of(
                        request(
                                "2018-08-15T00:00:00Z",
                                "2018-07-01T00:00:00Z",
                                "2018-07-20T06:00:00Z"),
                        WEEK,
                        WEEK);
        RetrainWindow endOnly =
                RetrainWindow.of(
                        request("2018-08-15T00:00:00Z", null, "2018-07-20T06:00:00Z"), WEEK, WEEK);
        RetrainWindow startOnly =
                RetrainWindow.of(
                        request("2018-08-15T00:00:00Z", "2018-07-01T00:00:00Z", null), WEEK, WEEK);

        assertThat(both)
                .isEqualTo(
                        new RetrainWindow(
                                Instant.parse("2018-07-01T00:00:00Z"),
                                Instant.parse("2018-07-20T06:00:00Z"),
                                Instant.parse("2018-08-15T00:00:00Z")));
        assertThat(endOnly.from()).isEqualTo(Instant.parse("2018-07-13T06:00:00Z"));
        assertThat(startOnly.from()).isEqualTo(Instant.parse("2018-07-01T00:00:00Z"));
        assertThat(startOnly.to()).isEqualTo(Instant.parse("2018-08-08T00:00:00Z"));
    }

    static RetrainRequest request(String requestedAt, String from, String to) {
        return RetrainRequest.newBuilder()
                .setRequestId("r1")
                .setModel("fraud")
                .setBaseVersion("1")
                .setAlertIds(List.of("a1"))
                .setApprovedBy("alice")
                .setRequestedAt(Instant.parse(requestedAt))
                .setTrainFrom(from == null ? null : Instant.parse(from))
                .setTrainTo(to == null ? null : Instant.parse(to))
                .build();
    }
}
