package io.vigil.cli.commands;

import io.vigil.models.FeatureCatalog;
import io.vigil.models.ModelFeature;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.feast.FeastType;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The CSV form of feature-log rows: {@code transaction_id, event_time} (UTC ISO-8601), {@code
 * customer_id, terminal_id}, then the 15 v1 features in catalog order (request, customer_spending,
 * terminal_risk), named {@code view:feature}. Integer features print as integers, others with
 * Java's shortest round-trip decimal form; a feature the row lacks is an empty cell.
 *
 * <p>Each row is formatted at once and kept only as its line and sort key (about 200 bytes), so a
 * whole handbook run (1.75 M rows) sorts in a few hundred megabytes.
 */
final class FeaturesCsv {

    /** The columns after the four identifying ones. */
    static final List<ModelFeature> FEATURES =
            FeatureCatalog.v1().defaultSignature("features").features();

    // Up to 18 digits always fits a long.
    private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,18}");

    /**
     * Input order: event time, then transaction id, numerically when it is a number (numeric ids
     * before other ids, which compare as text).
     */
    static final Comparator<Row> ORDER =
            Comparator.comparingLong(Row::eventTimeMillis)
                    .thenComparing(r -> r.textId() != null)
                    .thenComparingLong(Row::numericId)
                    .thenComparing(r -> r.textId() == null ? "" : r.textId());

    /**
     * One formatted row and its sort key.
     *
     * @param numericId the transaction id when numeric, else 0 (and {@code textId} holds it)
     * @param missing how many of the features the row lacked
     */
    record Row(long eventTimeMillis, long numericId, String textId, String line, int missing) {}

    private FeaturesCsv() {}

    static String header() {
        StringBuilder s = new StringBuilder("transaction_id,event_time,customer_id,terminal_id");
        FEATURES.forEach(f -> s.append(',').append(cell(f.name())));
        return s.toString();
    }

    static Row row(FeatureVector v) {
        StringBuilder s = new StringBuilder(192);
        s.append(cell(v.getTransactionId()))
                .append(',')
                .append(v.getEventTime())
                .append(',')
                .append(cell(v.getCustomerId()))
                .append(',')
                .append(cell(v.getTerminalId()));
        int missing = 0;
        for (ModelFeature f : FEATURES) {
            s.append(',');
            Double value = v.getFeatures().get(f.name());
            if (value == null) {
                missing++;
            } else {
                s.append(number(value, f.type()));
            }
        }
        String id = v.getTransactionId();
        boolean numeric = NUMERIC_ID.matcher(id).matches();
        return new Row(
                v.getEventTime().toEpochMilli(),
                numeric ? Long.parseLong(id) : 0,
                numeric ? null : id,
                s.toString(),
                missing);
    }

    private static String number(double value, FeastType type) {
        boolean integer = type == FeastType.INT32 || type == FeastType.INT64;
        if (integer && value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
    static String cell(String text) {
        if (text.indexOf(',') < 0
                && text.indexOf('"') < 0
                && text.indexOf('\n') < 0
                && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
