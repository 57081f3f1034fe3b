package io.vigil.cli.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.ReviewVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewSubmissionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void parsesAFullApproval() {
        ReviewSubmission s =
                json(
                        "{\"alert_ids\":[\"a1\",\"a2\"],\"verdict\":\"approved\","
                                + "\"reviewer\":\" alice \",\"comment\":\"amounts moved\","
                                + "\"train_from\":\"2018-05-01T00:00:00Z\","
                                + "\"train_to\":\"2018-06-01T00:00:00Z\"}",
                        null);

        assertThat(s.alertIds()).containsExactly("a1", "a2");
        assertThat(s.verdict()).isEqualTo(ReviewVerdict.APPROVED);
        assertThat(s.reviewer()).isEqualTo("alice");
        assertThat(s.comment()).isEqualTo("amounts moved");
        assertThat(s.trainFrom()).isEqualTo(Instant.parse("2018-05-01T00:00:00Z"));
        assertThat(s.trainTo()).isEqualTo(Instant.parse("2018-06-01T00:00:00Z"));
    }

    @Test
    void aSignedInReviewerReplacesTheBodysOne() {
        ReviewSubmission s =
                json(
                        "{\"alert_ids\":[\"a1\"],\"verdict\":\"REJECTED\",\"reviewer\":\"mallory\"}",
                        "alice@bank");

        assertThat(s.reviewer()).isEqualTo("alice@bank");
        assertThat(s.comment()).isNull();
    }

    @Test
    void refusesBadBodiesWithTheFieldAt400() {
        assertRefused("{\"alert_ids\":[\"a1\"", "body is not valid JSON");
        assertRefused("[1]", "body must be a JSON object");
        assertRefused("{\"alert_ids\":[\"a1\"],\"verdict\":\"APPROVED\"}", "reviewer is required");
        assertRefused(
                "{\"alert_ids\":[\"a1\"],\"verdict\":\"APPROVED\",\"reviewer\":\"  \"}",
                "reviewer is required");
        assertRefused(
                "{\"alert_ids\":[\"a1\"],\"reviewer\":\"alice\"}",
                "verdict is required (APPROVED or REJECTED)");
        assertRefused(
                "{\"alert_ids\":[\"a1\"],\"verdict\":\"MAYBE\",\"reviewer\":\"alice\"}",
                "verdict 'MAYBE' is neither APPROVED nor REJECTED");
        assertRefused(
                "{\"alertIds\":[\"a1\"],\"verdict\":\"APPROVED\",\"reviewer\":\"alice\"}",
                "unknown field 'alertIds'");
        assertRefused(
                "{\"alert_ids\":\"a1\",\"verdict\":\"APPROVED\",\"reviewer\":\"alice\"}",
                "alert_ids must be an array");
        assertRefused(
                "{\"alert_ids\":[],\"verdict\":\"APPROVED\",\"reviewer\":\"alice\"}",
                "alert_ids must name at least one alert");
        assertRefused(
                "{\"alert_ids\":[\"a1\",\"a1\"],\"verdict\":\"APPROVED\",\"reviewer\":\"alice\"}",
                "alert a1 is listed twice");
        assertRefused(
                "{\"alert_ids\":[7],\"verdict\":\"APPROVED\",\"reviewer\":\"alice\"}",
                "alert_ids must hold strings");
        assertRefused(
                "{\"alert_ids\":[\"a1\"],\"verdict\":\"APPROVED\",\"reviewer\":5}",
                "reviewer must be a string");
        assertRefused(
                "{\"alert_ids\":[\"a1\"],\"verdict\":\"APPROVED\",\"reviewer\":\"a\","
                        + "\"train_from\":\"yesterday\"}",
                "train_from 'yesterday' is not an ISO-8601 instant");
        assertRefused(
                "{\"alert_ids\":[\"a1\"],\"verdict\":\"APPROVED\",\"reviewer\":\"a\","
                        + "\"train_from\":\"2018-06-01T00:00:00Z\","
                        + "\"train_to\":\"2018-05-01T00:00:00Z\"}",
                "must be before train_to");
        assertRefused(
                "{\"alert_ids\":[\"a1\"],\"verdict\":\"REJECTED\",\"reviewer\":\"a\","
                        + "\"train_to\":\"2018-05-01T00:00:00Z\"}",
                "apply to approvals only");
    }

    @Test
    void parsesThePagesForm() {
        ReviewSubmission s =
                ReviewSubmission.fromForm(
                        FormData.parse(
                                "alert_id=m%3A1%3Atx_amount&alert_id=a+2&reviewer=Zo%C3%AB"
                                        + "&comment=&verdict=REJECTED"),
                        null);

        assertThat(s.alertIds()).containsExactly("m:1:tx_amount", "a 2");
        assertThat(s.reviewer()).isEqualTo("Zoë");
        assertThat(s.comment()).isNull();
        assertThat(s.verdict()).isEqualTo(ReviewVerdict.REJECTED);
    }

    @Test
    void theFormsTrainingWindowIsOptional() {
        ReviewSubmission given =
                ReviewSubmission.fromForm(
                        FormData.parse(
                                "alert_id=a&reviewer=r&verdict=APPROVED"
                                        + "&train_from=2018-04-01T00%3A00%3A00Z"
                                        + "&train_to=2018-04-25T00%3A00%3A00Z"),
                        null);
        ReviewSubmission blank =
                ReviewSubmission.fromForm(
                        FormData.parse(
                                "alert_id=a&reviewer=r&verdict=APPROVED&train_from=&train_to="),
                        null);

        assertThat(given.trainFrom()).isEqualTo(Instant.parse("2018-04-01T00:00:00Z"));
        assertThat(given.trainTo()).isEqualTo(Instant.parse("2018-04-25T00:00:00Z"));
        assertThat(blank.trainFrom()).isNull();
        assertThat(blank.trainTo()).isNull();
    }

    @Test
    void refusesAFormWithoutAlertsOrWithARepeatedField() {
        assertThatThrownBy(
                        () ->
                                ReviewSubmission.fromForm(
                                        FormData.parse("reviewer=a&verdict=APPROVED"), null))
                .hasMessage("alert_ids must name at least one alert");
        assertThatThrownBy(
                        () ->
                                ReviewSubmission.fromForm(
                                        FormData.parse(
                                                "alert_id=a&reviewer=a&reviewer=b&verdict=APPROVED"),
                                        null))
                .hasMessage("reviewer is given 2 times");
        assertThatThrownBy(() -> FormData.parse("alert_id=%zz"))
                .isInstanceOf(ReviewException.class)
                .hasMessageContaining("malformed form encoding");
    }

    @Test
    void formDataKeepsRepeatedNamesInOrderAndBareNamesAsEmpty() {
        assertThat(FormData.parse("a=1&b&a=2&&c=x%26y"))
                .containsExactly(
                        java.util.Map.entry("a", List.of("1", "2")),
                        java.util.Map.entry("b", List.of("")),
                        java.util.Map.entry("c", List.of("x&y")));
    }

    private static ReviewSubmission json(String body, String signedIn) {
        return ReviewSubmission.fromJson(MAPPER, body.getBytes(StandardCharsets.UTF_8), signedIn);
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> json(body, null))
                .as(body)
                .isInstanceOfSatisfying(
                        ReviewException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining(message);
    }
}
