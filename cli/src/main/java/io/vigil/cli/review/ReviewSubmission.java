package io.vigil.cli.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One reviewer's verdict on some alerts, validated: what {@code POST /api/reviews} (JSON) and the
 * page's form ({@code POST /review}) carry. Every rule fails with a {@link ReviewException} of
 * status 400 whose message names the field.
 *
 * @param trainFrom optional start of the training data an approval asks for
 * @param trainTo optional end of it
 */
public record ReviewSubmission(
        List<String> alertIds,
        ReviewVerdict verdict,
        String reviewer,
        String comment,
        Instant trainFrom,
        Instant trainTo) {

    static final int MAX_ALERTS = 1000;
    static final int MAX_REVIEWER_LENGTH = 200;
    static final int MAX_COMMENT_LENGTH = 4000;

    private static final Set<String> FIELDS =
            Set.of("alert_ids", "verdict", "reviewer", "comment", "train_from", "train_to");

    public ReviewSubmission {
        alertIds = checkedIds(alertIds);
        if (verdict == null) {
            throw ReviewException.badRequest("verdict is required (APPROVED or REJECTED)");
        }
        reviewer = reviewer == null ? "" : reviewer.strip();
        if (reviewer.isEmpty()) {
            throw ReviewException.badRequest("reviewer is required");
        }
        if (reviewer.length() > MAX_REVIEWER_LENGTH) {
            throw ReviewException.badRequest(
                    "reviewer is longer than " + MAX_REVIEWER_LENGTH + " characters");
        }
        comment = comment == null || comment.isBlank() ? null : comment.strip();
        if (comment != null && comment.length() > MAX_COMMENT_LENGTH) {
            throw ReviewException.badRequest(
                    "comment is longer than " + MAX_COMMENT_LENGTH + " characters");
        }
        if (verdict == ReviewVerdict.REJECTED && (trainFrom != null || trainTo != null)) {
            throw ReviewException.badRequest(
                    "train_from and train_to apply to approvals only, not to REJECTED");
        }
        if (trainFrom != null && trainTo != null && !trainFrom.isBefore(trainTo)) {
            throw ReviewException.badRequest(
                    "train_from " + trainFrom + " must be before train_to " + trainTo);
        }
    }

    /**
     * Parses the JSON body {@code {"alert_ids":[...], "verdict":"APPROVED"|"REJECTED",
     * "reviewer":"...", "comment":"...", "train_from":"2018-04-01T00:00:00Z", "train_to":...}};
     * unknown fields are refused so a misspelt one is not silently ignored.
     *
     * @param signedIn the reviewer an authenticating proxy named, replacing the body's; or null
     */
    public static ReviewSubmission fromJson(ObjectMapper mapper, byte[] body, String signedIn) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ReviewException.badRequest("body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ReviewException.badRequest("body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ReviewException.badRequest("body must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ReviewException.badRequest(
                        "unknown field '"
                                + name
                                + "' (known: "
                                + String.join(", ", sorted())
                                + ")");
            }
        }
        JsonNode ids = root.get("alert_ids");
        if (ids == null || !ids.isArray()) {
            throw ReviewException.badRequest("alert_ids must be an array of alert ids");
        }
        List<String> alertIds = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                throw ReviewException.badRequest("alert_ids must hold strings, got " + id);
            }
            alertIds.add(id.textValue());
        }
        return new ReviewSubmission(
                alertIds,
                verdict(text(root, "verdict")),
                signedIn != null ? signedIn : text(root, "reviewer"),
                text(root, "comment"),
                instant("train_from", text(root, "train_from")),
                instant("train_to", text(root, "train_to")));
    }

    /**
     * Parses the page's form: {@code alert_id} repeated, {@code verdict}, {@code reviewer}, {@code
     * comment}, optionally {@code train_from} and {@code train_to}.
     *
     * @param signedIn the reviewer an authenticating proxy named, replacing the form's; or null
     */
    public static ReviewSubmission fromForm(Map<String, List<String>> form, String signedIn) {
        return new ReviewSubmission(
                form.getOrDefault("alert_id", List.of()),
                verdict(single(form, "verdict")),
                signedIn != null ? signedIn : single(form, "reviewer"),
                single(form, "comment"),
                instant("train_from", single(form, "train_from")),
                instant("train_to", single(form, "train_to")));
    }

    private static List<String> checkedIds(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw ReviewException.badRequest("alert_ids must name at least one alert");
        }
        if (ids.size() > MAX_ALERTS) {
            throw ReviewException.badRequest(
                    "at most " + MAX_ALERTS + " alerts per review, got " + ids.size());
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                throw ReviewException.badRequest("alert_ids must not hold blank ids");
            }
            if (!distinct.add(id)) {
                throw ReviewException.badRequest("alert " + id + " is listed twice");
            }
        }
        return List.copyOf(distinct);
    }

    private static ReviewVerdict verdict(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ReviewVerdict.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ReviewException.badRequest(
                    "verdict '" + value + "' is neither APPROVED nor REJECTED");
        }
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ReviewException.badRequest(
                    field
                            + " '"
                            + value
                            + "' is not an ISO-8601 instant (e.g. 2018-04-01T00:00:00Z)");
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ReviewException.badRequest(field + " must be a string, got " + node);
        }
        return node.textValue();
    }

    private static String single(Map<String, List<String>> form, String field) {
        List<String> values = form.getOrDefault(field, List.of());
        if (values.size() > 1) {
            throw ReviewException.badRequest(field + " is given " + values.size() + " times");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> sorted() {
        return FIELDS.stream().sorted().toList();
    }
}
