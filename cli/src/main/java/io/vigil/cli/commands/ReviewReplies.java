package io.vigil.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCommand;
import io.vigil.cli.review.ReviewClient;
import io.vigil.cli.review.ReviewException;
import io.vigil.cli.review.ReviewSubmission;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/** What the review commands print of the service's replies. */
final class ReviewReplies {

    private ReviewReplies() {}

    /**
     * Sends a verdict; exit code 0 when written, 1 (with the service's reason on stderr) when
     * refused.
     */
    static int submit(CommandSpec spec, ReviewClient client, ReviewSubmission submission) {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode written;
        try {
            written = client.submit(submission);
        } catch (ReviewException e) {
            return refused(spec, e);
        }
        List<String> alerts = new ArrayList<>();
        written.path("reviews").forEach(r -> alerts.add(r.path("alert_id").asText()));
        out.println(
                submission.verdict().name().toLowerCase(Locale.ROOT)
                        + " "
                        + alerts.size()
                        + (alerts.size() == 1 ? " alert" : " alerts")
                        + " as "
                        // As recorded: an authenticating proxy's user replaces the one submitted.
                        + written.path("reviews").path(0).path("reviewer").asText()
                        + ": "
                        + String.join(", ", alerts));
        for (JsonNode request : written.path("retrain_requests")) {
            out.println(
                    "retrain request "
                            + request.path("request_id").asText()
                            + ": model "
                            + request.path("model").asText()
                            + " from version "
                            + request.path("base_version").asText()
                            + " ("
                            + request.path("alert_ids").size()
                            + (request.path("alert_ids").size() == 1 ? " alert)" : " alerts)"));
        }
        written.path("notes").forEach(note -> out.println("note: " + note.asText()));
        out.flush();
        return VigilCommand.EXIT_OK;
    }

    /** Prints the service's refusal on one line; returns exit code 1. */
    static int refused(CommandSpec spec, ReviewException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(
                spec.qualifiedName() + ": refused (HTTP " + e.status() + "): " + e.getMessage());
        err.flush();
        return VigilCommand.EXIT_FAILURE;
    }
}
