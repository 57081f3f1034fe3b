package io.vigil.cli.review;

import io.vigil.cli.review.ReviewQueue.AlertGroup;
import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.Review;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The reviewers' page: pending alerts grouped by model version, each group with a form that
 * approves or rejects the ticked alerts ({@code POST /review}), then the recently reviewed ones.
 * Server-rendered, no script; every value from a record or request is escaped.
 */
public final class ReviewPage {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private static final String STYLE =
            "body{font-family:sans-serif;margin:2em;max-width:80em}"
                    + "table{border-collapse:collapse;margin:.5em 0}"
                    + "td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}"
                    + "td.n{text-align:right}.over{color:#b00;font-weight:bold}"
                    + "section{border:1px solid #999;padding:.5em 1em;margin:1em 0}"
                    + ".APPROVED{color:#070}.REJECTED{color:#b00}";

    private ReviewPage() {}

    /**
     * @param groups the pending alerts by model version
     * @param reviewed the recently reviewed alerts, newest first
     * @param signedIn the reviewer an authenticating proxy named, or null: then the form asks
     * @param ready false while the queue is still reading the topics
     */
    public static String render(
            List<AlertGroup> groups, List<QueueEntry> reviewed, String signedIn, boolean ready) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Vigil drift review</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>Drift alerts waiting for review</h1>\n");
        if (!ready) {
            html.append("<p><strong>Still reading the topics: the lists may be incomplete and")
                    .append(" verdicts are refused until then. Reload shortly.</strong></p>\n");
        }
        html.append("<p>Nothing retrains until a reviewer approves. Approving a group writes one")
                .append(" retrain request per model.</p>\n");
        if (groups.isEmpty()) {
            html.append("<p>No pending alerts.</p>\n");
        }
        for (AlertGroup group : groups) {
            group(html, group, signedIn);
        }
        html.append("<h2>Recently reviewed</h2>\n");
        if (reviewed.isEmpty()) {
            html.append("<p>None yet.</p>\n");
        } else {
            reviewedTable(html, reviewed);
        }
        return html.append("</body></html>\n").toString();
    }

    private static void group(StringBuilder html, AlertGroup group, String signedIn) {
        html.append("<section><h2>")
                .append(Html.escape(group.model()))
                .append(" version ")
                .append(Html.escape(group.version()))
                .append(" — ")
                .append(group.entries().size())
                .append(group.entries().size() == 1 ? " alert" : " alerts")
                .append("</h2>\n<form method=\"post\" action=\"/review\">\n")
                .append("<table><tr><th></th><th>subject</th><th>metric</th><th>value</th>")
                .append("<th>threshold</th><th>window</th><th>sample size</th><th>raised</th>")
                .append("<th>alert id</th></tr>\n");
        for (QueueEntry entry : group.entries()) {
            DriftAlert a = entry.alert();
            String id = Html.escape(a.getAlertId());
            html.append("<tr><td><input type=\"checkbox\" name=\"alert_id\" value=\"")
                    .append(id)
                    .append("\" checked aria-label=\"include ")
                    .append(id)
                    .append("\"></td><td>")
                    .append(Html.escape(a.getSubject()))
                    .append("</td><td>")
                    .append(a.getMetric().name())
                    .append("</td><td class=\"n")
                    .append(a.getValue() > a.getThreshold() ? " over" : "")
                    .append("\">")
                    .append(number(a.getValue()))
                    .append("</td><td class=\"n\">")
                    .append(number(a.getThreshold()))
                    .append("</td><td>")
                    .append(time(a.getWindowStart()))
                    .append(" – ")
                    .append(time(a.getWindowEnd()))
                    .append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%,d", a.getSampleSize()))
                    .append("</td><td>")
                    .append(time(a.getCreatedAt()))
                    .append("</td><td><code>")
                    .append(id)
                    .append("</code></td></tr>\n");
        }
        html.append("</table>\n");
        if (signedIn == null) {
            html.append("<label>Reviewer <input name=\"reviewer\" required maxlength=\"")
                    .append(ReviewSubmission.MAX_REVIEWER_LENGTH)
                    .append("\"></label>\n");
        } else {
            html.append("<p>Reviewer: ").append(Html.escape(signedIn)).append("</p>\n");
        }
        html.append("<label>Comment <input name=\"comment\" size=\"60\" maxlength=\"")
                .append(ReviewSubmission.MAX_COMMENT_LENGTH)
                .append("\"></label>\n")
                // Blank: the retrainer's default window (the week ending a label delay ago).
                .append("<p><label>Train on data from <input name=\"train_from\"")
                .append(" placeholder=\"2018-04-01T00:00:00Z\"></label>\n")
                .append("<label>to <input name=\"train_to\"")
                .append(" placeholder=\"2018-04-25T00:00:00Z\"></label>")
                .append(" (optional, approvals only)</p>\n")
                .append("<button name=\"verdict\" value=\"APPROVED\">Approve retraining</button>\n")
                .append("<button name=\"verdict\" value=\"REJECTED\">Reject</button>\n")
                .append("</form></section>\n");
    }

    private static void reviewedTable(StringBuilder html, List<QueueEntry> reviewed) {
        html.append("<table><tr><th>verdict</th><th>model</th><th>version</th><th>subject</th>")
                .append("<th>metric</th><th>value</th><th>reviewer</th><th>reviewed</th>")
                .append("<th>comment</th><th>alert id</th></tr>\n");
        for (QueueEntry entry : reviewed) {
            DriftAlert a = entry.alert();
            Review r = entry.review();
            html.append("<tr><td class=\"")
                    .append(r.getVerdict().name())
                    .append("\">")
                    .append(r.getVerdict().name())
                    .append("</td><td>")
                    .append(Html.escape(a.getModel()))
                    .append("</td><td>")
                    .append(Html.escape(a.getVersion()))
                    .append("</td><td>")
                    .append(Html.escape(a.getSubject()))
                    .append("</td><td>")
                    .append(a.getMetric().name())
                    .append("</td><td class=\"n\">")
                    .append(number(a.getValue()))
                    .append("</td><td>")
                    .append(Html.escape(r.getReviewer()))
                    .append("</td><td>")
                    .append(time(r.getReviewedAt()))
                    .append("</td><td>")
                    .append(Html.escape(r.getComment()))
                    .append("</td><td><code>")
                    .append(Html.escape(a.getAlertId()))
                    .append("</code></td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** A page that says why a form submission failed, with a way back. */
    public static String error(int status, String message) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Review not recorded</title></head><body>\n<h1>Review not recorded ("
                + status
                + ")</h1>\n<p>"
                + Html.escape(message)
                + "</p>\n<p><a href=\"/\">Back to the queue</a></p></body></html>\n";
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String time(Instant instant) {
        return TIME.format(instant);
    }
}
