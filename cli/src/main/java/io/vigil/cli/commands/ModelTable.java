package io.vigil.cli.commands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plain-text table with fixed-width columns (as wide as their widest cell), two spaces apart;
 * text columns are left-aligned, number columns right-aligned. Also the number formats the model
 * commands share, so every table prints a metric the same way.
 */
final class ModelTable {

    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    /** Adds a left-aligned column. */
    ModelTable text(String header) {
        headers.add(header);
        rightAligned.add(false);
        return this;
    }

    /** Adds a right-aligned column. */
    ModelTable number(String header) {
        headers.add(header);
        rightAligned.add(true);
        return this;
    }

    ModelTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(
                    cells.length + " cells for " + headers.size() + " columns " + headers);
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        printRow(out, headers.toArray(String[]::new), widths);
        rows.forEach(row -> printRow(out, row, widths));
        out.flush();
    }

    private void printRow(PrintWriter out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(rightAligned.get(i) ? pad + cells[i] : cells[i] + pad);
        }
        out.println(line.toString().stripTrailing());
    }

    /** A metric with four decimals, or "-" when it is missing or not a number. */
    static String metric(Double value) {
        return value == null || !Double.isFinite(value)
                ? "-"
                : String.format(Locale.ROOT, "%.4f", value);
    }

    /** A metric from a metrics map, e.g. {@code validation_auc_roc}. */
    static String metric(Map<String, Double> metrics, String key) {
        return metric(metrics.get(key));
    }

    /** A signed difference with four decimals. */
    static String delta(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.4f", value) : "-";
    }

    /** A count with thousands separators. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A count stored as a metric (a double), or "-". */
    static String count(Double value) {
        return value == null ? "-" : count(Math.round(value));
    }
}
