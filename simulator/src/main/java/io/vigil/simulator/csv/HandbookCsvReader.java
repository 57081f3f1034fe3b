package io.vigil.simulator.csv;

import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.simulator.SimulatedTransaction;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads transactions in the Fraud Detection Handbook's CSV layout, plain or gzip-compressed
 * (detected from the content, not the name).
 *
 * <p>The header row names the columns TRANSACTION_ID, TX_DATETIME ({@code yyyy-MM-dd HH:mm:ss},
 * UTC), CUSTOMER_ID, TERMINAL_ID, TX_AMOUNT, TX_TIME_SECONDS, TX_TIME_DAYS, TX_FRAUD (0/1) and
 * TX_FRAUD_SCENARIO, in any order; other columns (such as the unnamed index column pandas writes by
 * default) are ignored. Amounts become exact cents: a decimal string with more than two decimals
 * (the published file has e.g. {@code 85.64999999999999}, a float artefact of scenario 3's ×5) is
 * rounded half-up on its digits, never through binary floating point.
 *
 * <p>A malformed row is passed to the {@code onMalformed} callback with its line number and reason,
 * counted and skipped; reading goes on. A missing column in the header is fatal ({@link
 * IOException} from {@link #open}). Single pass, one line in memory at a time.
 */
public final class HandbookCsvReader implements Iterator<SimulatedTransaction>, Closeable {

    /** The columns this reader needs, in the published file's order. */
    public static final List<String> COLUMNS =
            List.of(
                    "TRANSACTION_ID",
                    "TX_DATETIME",
                    "CUSTOMER_ID",
                    "TERMINAL_ID",
                    "TX_AMOUNT",
                    "TX_TIME_SECONDS",
                    "TX_TIME_DAYS",
                    "TX_FRAUD",
                    "TX_FRAUD_SCENARIO");

    private static final int ID = 0;
    private static final int DATETIME = 1;
    private static final int CUSTOMER = 2;
    private static final int TERMINAL = 3;
    private static final int AMOUNT = 4;
    private static final int TIME_SECONDS = 5;
    private static final int TIME_DAYS = 6;
    private static final int FRAUD = 7;
    private static final int SCENARIO = 8;

    private static final String CURRENCY = "EUR";

    private final BufferedReader reader;
    private final Consumer<MalformedRow> onMalformed;

    /** Position of each needed column among the file's columns. */
    private final int[] columnOf;

    private final int fieldCount;
    private final int[] fieldStart;
    private final int[] fieldEnd;

    private long lineNumber = 1;
    private long rowsRead;
    private long malformedRows;
    private SimulatedTransaction next;
    private boolean exhausted;

    private HandbookCsvReader(
            BufferedReader reader, String header, Consumer<MalformedRow> onMalformed, String source)
            throws IOException {
        this.reader = reader;
        this.onMalformed = onMalformed;
        List<String> names = Arrays.stream(header.split(",", -1)).map(String::strip).toList();
        this.columnOf = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            columnOf[c] = names.indexOf(COLUMNS.get(c));
            if (columnOf[c] < 0) {
                throw new IOException(
                        source
                                + " line 1: header lacks column "
                                + COLUMNS.get(c)
                                + "; expected the handbook layout "
                                + String.join(",", COLUMNS)
                                + ", got: "
                                + abbreviate(header));
            }
        }
        this.fieldCount = names.size();
        this.fieldStart = new int[fieldCount];
        this.fieldEnd = new int[fieldCount];
    }

    /** Opens a file, gzip-compressed or not, and reads its header. */
    public static HandbookCsvReader open(Path file, Consumer<MalformedRow> onMalformed)
            throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return open(in, file.toString(), onMalformed);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads from a stream (gzip-compressed or not), which the reader closes. */
    public static HandbookCsvReader open(
            InputStream in, String source, Consumer<MalformedRow> onMalformed) throws IOException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        InputStream text = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(text, StandardCharsets.UTF_8), 1 << 20);
        String header = reader.readLine();
        if (header == null) {
            throw new IOException(source + " is empty: expected a header row");
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        return new HandbookCsvReader(reader, header, onMalformed, source);
    }

    /** Data rows seen so far, good or malformed (blank lines are not rows). */
    public long rowsRead() {
        return rowsRead;
    }

    public long malformedRows() {
        return malformedRows;
    }

    @Override
    public boolean hasNext() {
        while (next == null && !exhausted) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read line " + (lineNumber + 1), e);
            }
            if (line == null) {
                exhausted = true;
                break;
            }
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            rowsRead++;
            try {
                next = parse(line);
            } catch (RowException e) {
                malformedRows++;
                onMalformed.accept(new MalformedRow(lineNumber, e.getMessage(), abbreviate(line)));
            }
        }
        return next != null;
    }

    @Override
    public SimulatedTransaction next() {
        if (!hasNext()) {
            throw new NoSuchElementException("end of file");
        }
        SimulatedTransaction row = next;
        next = null;
        return row;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private SimulatedTransaction parse(String line) throws RowException {
        split(line);
        String id = digits(line, ID);
        long epochSecond = dateTime(line);
        String customer = digits(line, CUSTOMER);
        String terminal = digits(line, TERMINAL);
        long cents = cents(line);
        integer(line, TIME_SECONDS);
        integer(line, TIME_DAYS);
        long fraud = integer(line, FRAUD);
        long scenario = integer(line, SCENARIO);
        if (fraud > 1) {
            throw new RowException("TX_FRAUD must be 0 or 1, got " + fraud);
        }
        if (scenario > 99 || (fraud == 1) != (scenario > 0)) {
            throw new RowException(
                    "TX_FRAUD_SCENARIO " + scenario + " contradicts TX_FRAUD " + fraud);
        }
        Transaction tx =
                new Transaction(
                        id,
                        Instant.ofEpochSecond(epochSecond),
                        customer,
                        terminal,
                        new Money(cents, CURRENCY),
                        null,
                        null,
                        null);
        return new SimulatedTransaction(tx, fraud == 1, (int) scenario);
    }

    private void split(String line) throws RowException {
        int field = 0;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ',') {
                if (field == fieldCount - 1) {
                    throw new RowException("more than the header's " + fieldCount + " fields");
                }
                fieldStart[field] = start;
                fieldEnd[field++] = i;
                start = i + 1;
            }
        }
        if (field != fieldCount - 1) {
            throw new RowException((field + 1) + " fields, the header has " + fieldCount);
        }
        fieldStart[field] = start;
        fieldEnd[field] = line.length();
    }

    private String digits(String line, int column) throws RowException {
        int from = fieldStart[columnOf[column]];
        int to = fieldEnd[columnOf[column]];
        if (from == to) {
            throw new RowException(COLUMNS.get(column) + " is empty");
        }
        for (int i = from; i < to; i++) {
            if (!isDigit(line.charAt(i))) {
                throw new RowException(
                        COLUMNS.get(column)
                                + " must be a non-negative integer, got '"
                                + line.substring(from, to)
                                + "'");
            }
        }
        return line.substring(from, to);
    }

    private long integer(String line, int column) throws RowException {
        int from = fieldStart[columnOf[column]];
        int to = fieldEnd[columnOf[column]];
        if (from == to || to - from > 18) {
            throw new RowException(
                    COLUMNS.get(column)
                            + " must be a non-negative integer, got '"
                            + line.substring(from, to)
                            + "'");
        }
        return parseDigits(line, from, to, column);
    }

    private long parseDigits(String line, int from, int to, int column) throws RowException {
        long value = 0;
        for (int i = from; i < to; i++) {
            char ch = line.charAt(i);
            if (!isDigit(ch)) {
                throw new RowException(
                        COLUMNS.get(column)
                                + " must be a non-negative integer, got '"
                                + line.substring(from, to)
                                + "'");
            }
            value = value * 10 + (ch - '0');
        }
        return value;
    }

    /** {@code yyyy-MM-dd HH:mm:ss} as UTC epoch seconds, checked field by field. */
    private long dateTime(String line) throws RowException {
        int from = fieldStart[columnOf[DATETIME]];
        int to = fieldEnd[columnOf[DATETIME]];
        if (to - from != 19
                || line.charAt(from + 4) != '-'
                || line.charAt(from + 7) != '-'
                || line.charAt(from + 10) != ' '
                || line.charAt(from + 13) != ':'
                || line.charAt(from + 16) != ':') {
            throw new RowException(
                    "TX_DATETIME must be 'yyyy-MM-dd HH:mm:ss', got '"
                            + line.substring(from, to)
                            + "'");
        }
        long year = parseDigits(line, from, from + 4, DATETIME);
        int month = (int) parseDigits(line, from + 5, from + 7, DATETIME);
        int day = (int) parseDigits(line, from + 8, from + 10, DATETIME);
        int hour = (int) parseDigits(line, from + 11, from + 13, DATETIME);
        int minute = (int) parseDigits(line, from + 14, from + 16, DATETIME);
        int second = (int) parseDigits(line, from + 17, from + 19, DATETIME);
        if (month < 1
                || month > 12
                || day < 1
                || day > lengthOfMonth(year, month)
                || hour > 23
                || minute > 59
                || second > 59) {
            throw new RowException(
                    "TX_DATETIME is not a valid time: '" + line.substring(from, to) + "'");
        }
        return daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
    }

    /**
     * A non-negative decimal as cents: digits, optionally '.' and more digits; beyond the second
     * decimal, rounded half-up.
     */
    private long cents(String line) throws RowException {
        int from = fieldStart[columnOf[AMOUNT]];
        int to = fieldEnd[columnOf[AMOUNT]];
        long units = 0;
        int i = from;
        while (i < to && isDigit(line.charAt(i)) && i - from < 15) {
            units = units * 10 + (line.charAt(i++) - '0');
        }
        boolean wellFormed = i > from;
        long cents = units * 100;
        if (wellFormed && i < to && line.charAt(i) == '.') {
            i++;
            int decimals = 0;
            for (; i < to && isDigit(line.charAt(i)); i++, decimals++) {
                int digit = line.charAt(i) - '0';
                if (decimals == 0) {
                    cents += digit * 10L;
                } else if (decimals == 1) {
                    cents += digit;
                } else if (decimals == 2 && digit >= 5) {
                    cents++;
                }
            }
        }
        if (!wellFormed || i != to) {
            throw new RowException(
                    "TX_AMOUNT must be a non-negative decimal like 57.16, got '"
                            + line.substring(from, to)
                            + "'");
        }
        return cents;
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    private static int lengthOfMonth(long year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    // Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
    private static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    /** Why one row is unusable; caught per row, never escapes the reader. */
    private static final class RowException extends Exception {
        RowException(String message) {
            super(message, null, false, false);
        }
    }
}
