package io.vigil.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.Usage;
import io.vigil.cli.VigilCommand;
import io.vigil.cli.review.AlertStatus;
import io.vigil.cli.review.ReviewClient;
import io.vigil.cli.review.ReviewException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil review list [--status pending|reviewed|all]}: the queue as a table. */
@Command(
        name = "list",
        description = "List drift alerts of the review queue, newest first.",
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ReviewListCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--status",
            paramLabel = "pending|reviewed|all",
            defaultValue = "pending",
            description = "Which alerts (default: ${DEFAULT-VALUE}).")
    String status;

    @Mixin ReviewClientOptions where;

    @Override
    public Integer call() {
        AlertStatus wanted = Usage.check(spec, () -> AlertStatus.parse(status));
        ReviewClient client = Usage.check(spec, where::client);
        PrintWriter out = spec.commandLine().getOut();
        JsonNode alerts;
        try {
            alerts = client.alerts(wanted);
        } catch (ReviewException e) {
            return ReviewReplies.refused(spec, e);
        }
        if (alerts.isEmpty()) {
            out.println("no " + (wanted == AlertStatus.ALL ? "" : wanted.label() + " ") + "alerts");
            out.flush();
            return VigilCommand.EXIT_OK;
        }
        ModelTable table =
                new ModelTable()
                        .text("ALERT ID")
                        .text("STATUS")
                        .text("MODEL")
                        .text("VERSION")
                        .text("SUBJECT")
                        .text("METRIC")
                        .number("VALUE")
                        .number("THRESHOLD")
                        .number("SAMPLES")
                        .text("RAISED (UTC)")
                        .text("VERDICT")
                        .text("REVIEWER");
        for (JsonNode a : alerts) {
            JsonNode review = a.path("review");
            table.row(
                    a.path("alert_id").asText(),
                    a.path("status").asText(),
                    a.path("model").asText(),
                    a.path("version").asText(),
                    a.path("subject").asText(),
                    a.path("metric").asText(),
                    ModelTable.metric(a.path("value").asDouble()),
                    ModelTable.metric(a.path("threshold").asDouble()),
                    ModelTable.count(a.path("sample_size").asLong()),
                    a.path("created_at").asText(),
                    review.isMissingNode() ? null : review.path("verdict").asText(),
                    review.isMissingNode() ? null : review.path("reviewer").asText());
        }
        table.print(out);
        return VigilCommand.EXIT_OK;
    }
}
