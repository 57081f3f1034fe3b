package io.vigil.cli.commands;

import io.vigil.models.ModelMetadata;
import io.vigil.models.TrainingWindow;
import io.vigil.models.registry.ModelAliases;
import io.vigil.schemas.ChallengerMode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the model commands print registry state: roles, aliases, version tables, periods. */
final class ModelViews {

    private static final String VALIDATION_CP = "validation_card_precision_at_";

    private ModelViews() {}

    /** The role {@code version} has: champion, challenger (mode), previous champion, or "". */
    static String role(ModelAliases aliases, String version) {
        if (version.equals(aliases.champion())) {
            return "champion";
        }
        ModelAliases.Challenger challenger = aliases.challenger();
        if (challenger != null && version.equals(challenger.version())) {
            return challenger.mode() == ChallengerMode.CANARY
                    ? String.format(
                            Locale.ROOT, "challenger (canary %s)", share(challenger.canaryShare()))
                    : "challenger (shadow)";
        }
        return aliases.previousChampions().contains(version) ? "previous champion" : "";
    }

    /** The aliases of one model as a few lines. */
    static void printAliases(PrintWriter out, ModelAliases aliases) {
        ModelAliases.Challenger challenger = aliases.challenger();
        out.println("champion:           " + orNone(aliases.champion()));
        out.println(
                "challenger:         "
                        + (challenger == null
                                ? "none"
                                : challenger.version()
                                        + " ("
                                        + role(aliases, challenger.version())
                                                .substring("challenger (".length())));
        out.println(
                "previous champions: "
                        + (aliases.previousChampions().isEmpty()
                                ? "none"
                                : String.join(", ", aliases.previousChampions())
                                        + " (rollback restores the first)"));
        out.flush();
    }

    /** One row per version, oldest first, with its role and validation metrics. */
    static ModelTable versionsTable(List<ModelMetadata> versions, ModelAliases aliases) {
        String cp =
                versions.stream()
                        .flatMap(v -> v.metrics().keySet().stream())
                        .filter(k -> k.startsWith(VALIDATION_CP))
                        .findFirst()
                        .orElse(VALIDATION_CP + "100");
        ModelTable table =
                new ModelTable()
                        .text("VERSION")
                        .text("ROLE")
                        .text("ALGORITHM")
                        .text("REGISTERED (UTC)")
                        .text("TRAINED ON")
                        .number("VAL AUC ROC")
                        .number("VAL AP")
                        .number("VAL CP@" + cp.substring(VALIDATION_CP.length()));
        for (ModelMetadata v : versions) {
            Map<String, Double> m = v.metrics();
            table.row(
                    v.version(),
                    role(aliases, v.version()),
                    v.algorithm(),
                    timestamp(v.registeredAt()),
                    period(v.trainingWindow()),
                    ModelTable.metric(m, "validation_auc_roc"),
                    ModelTable.metric(m, "validation_average_precision"),
                    ModelTable.metric(m, cp));
        }
        return table;
    }

    /** {@code [from, to)}, as dates when both are midnights. */
    static String period(TrainingWindow window) {
        return period(window.from(), window.to());
    }

    static String period(Instant from, Instant to) {
        return "[" + instant(from) + ", " + instant(to) + ")";
    }

    /** A date when the instant is a UTC midnight, else the ISO instant. */
    static String instant(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)
                ? t.atOffset(ZoneOffset.UTC).toLocalDate().toString()
                : t.toString();
    }

    /** To the second, without the zone letter, for table cells. */
    static String timestamp(Instant t) {
        return t == null
                ? "-"
                : t.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", "");
    }

    /** Whole days as {@code P7D}, anything else in ISO-8601 ({@code PT36H}). */
    static String duration(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.getNano() == 0
                ? "P" + d.toDays() + "D"
                : d.toString();
    }

    static String share(double share) {
        return String.format(Locale.ROOT, "%.4g%%", 100 * share).replaceAll("\\.?0+%$", "%");
    }

    static String orNone(String value) {
        return value == null ? "none" : value;
    }
}
