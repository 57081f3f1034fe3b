package io.vigil.simulator.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.simulator.SimulatedTransaction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandbookCsvReaderTest {

    private static final String HEADER = String.join(",", HandbookCsvReader.COLUMNS);
    private static final String GOOD =
            HEADER
                    + "\n"
                    + "0,2018-04-01 00:00:31,596,3156,57.16,31,0,0,0\n"
                    + "1,2018-04-01 00:02:10,4961,3412,81.51,130,0,0,0\n"
                    + "2,2018-04-01 00:07:56,2,1365,146.0,476,0,0,0\n"
                    + "11919,2018-04-02 08:25:22,3814,6013,85.64999999999999,116722,1,1,3\n"
                    + "99,2018-04-02 08:25:22,3814,6013,230,116722,1,1,1\n";

    private final List<MalformedRow> malformed = new ArrayList<>();

    @TempDir Path dir;

    @Test
    void readsThePublishedLayoutIntoTransactionsWithGroundTruth() throws IOException {
        List<SimulatedTransaction> rows = readAll(GOOD);

        assertThat(rows)
                .extracting(
                        SimulatedTransaction::tx,
                        SimulatedTransaction::fraud,
                        SimulatedTransaction::scenario)
                .first()
                .isEqualTo(
                        tuple(
                                new Transaction(
                                        "0",
                                        Instant.parse("2018-04-01T00:00:31Z"),
                                        "596",
                                        "3156",
                                        new Money(5716L, "EUR"),
                                        null,
                                        null,
                                        null),
                                false,
                                0));
        assertThat(rows)
                .extracting(t -> t.tx().getAmount().getMinorUnits())
                .containsExactly(5716L, 8151L, 14600L, 8565L, 23000L);
        assertThat(rows).extracting(SimulatedTransaction::scenario).containsExactly(0, 0, 0, 3, 1);
        assertThat(rows.get(3).tx().getEventTime())
                .isEqualTo(Instant.parse("2018-04-02T08:25:22Z"));
        assertThat(malformed).isEmpty();
    }

    @Test
    void readsGzipAndIgnoresAPandasIndexColumn() throws IOException {
        String indexed =
                ","
                        + HEADER
                        + "\n"
                        + "0,0,2018-04-01 00:00:31,596,3156,57.16,31,0,0,0\n"
                        + "1,1,2018-09-30 23:59:59,4961,3412,81.51,15811199,182,1,2\n";
        Path file = dir.resolve("tx.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(indexed.getBytes(StandardCharsets.UTF_8));
        }

        List<SimulatedTransaction> rows = new ArrayList<>();
        try (HandbookCsvReader reader = HandbookCsvReader.open(file, malformed::add)) {
            reader.forEachRemaining(rows::add);
            assertThat(reader.rowsRead()).isEqualTo(2);
        }

        assertThat(rows)
                .extracting(t -> t.tx().getEventTime())
                .containsExactly(
                        Instant.parse("2018-04-01T00:00:31Z"),
                        Instant.parse("2018-09-30T23:59:59Z"));
        assertThat(rows.get(1).scenario()).isEqualTo(2);
        assertThat(malformed).isEmpty();
    }

    @Test
    void skipsMalformedRowsWithLineNumberAndReasonAndGoesOn() throws IOException {
        String csv =
                HEADER
                        + "\n"
                        + "0,2018-04-01 00:00:31,596,3156,57.16,31,0,0,0\n"
                        + "1,2018-04-01 00:02:10,4961,3412,81.51,130,0,0\n"
                        + "2,2018-04-31 00:07:56,2,1365,146.0,476,0,0,0\n"
                        + "3,2018-04-01T00:07:56,2,1365,146.0,476,0,0,0\n"
                        + "4,2018-04-01 00:07:56,2,1365,-5.00,476,0,0,0\n"
                        + "5,2018-04-01 00:07:56,2,1365,1e3,476,0,0,0\n"
                        + "6,2018-04-01 00:07:56,x2,1365,14.00,476,0,0,0\n"
                        + "\n"
                        + "7,2018-04-01 00:07:56,2,1365,14.00,476,0,0,2\n"
                        + "8,2018-04-01 00:07:56,2,1365,14.00,476,0,2,2\n"
                        + "9,2018-04-01 00:07:56,2,1365,14.00,476,0,0,0,extra\n"
                        + "10,2018-04-01 00:08:00,2,1365,,476,0,0,0\n"
                        + "11,2018-04-01 00:09:00,7,8,1.5,540,0,0,0\n";

        List<SimulatedTransaction> rows = readAll(csv);

        assertThat(rows).extracting(t -> t.tx().getTransactionId()).containsExactly("0", "11");
        assertThat(malformed)
                .extracting(MalformedRow::line, MalformedRow::reason)
                .containsExactly(
                        tuple(3L, "8 fields, the header has 9"),
                        tuple(4L, "TX_DATETIME is not a valid time: '2018-04-31 00:07:56'"),
                        tuple(
                                5L,
                                "TX_DATETIME must be 'yyyy-MM-dd HH:mm:ss', got '2018-04-01T00:07:56'"),
                        tuple(
                                6L,
                                "TX_AMOUNT must be a non-negative decimal like 57.16, got '-5.00'"),
                        tuple(7L, "TX_AMOUNT must be a non-negative decimal like 57.16, got '1e3'"),
                        tuple(8L, "CUSTOMER_ID must be a non-negative integer, got 'x2'"),
                        tuple(10L, "TX_FRAUD_SCENARIO 2 contradicts TX_FRAUD 0"),
                        tuple(11L, "TX_FRAUD must be 0 or 1, got 2"),
                        tuple(12L, "more than the header's 9 fields"),
                        tuple(13L, "TX_AMOUNT must be a non-negative decimal like 57.16, got ''"));
        assertThat(malformed.get(0).text())
                .isEqualTo("1,2018-04-01 00:02:10,4961,3412,81.51,130,0,0");
    }

    @Test
    void countsRowsAndMalformedRows() throws IOException {
        String csv = GOOD + "bad row\n";
        try (HandbookCsvReader reader = open(csv)) {
            reader.forEachRemaining(t -> {});

            assertThat(reader.rowsRead()).isEqualTo(6);
            assertThat(reader.malformedRows()).isEqualTo(1);
        }
    }

    @Test
    void aHeaderWithoutAHandbookColumnIsFatal() {
        String csv = "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID\n0,2018-04-01 00:00:31,596\n";

        assertThatThrownBy(() -> open(csv))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("test.csv line 1: header lacks column TERMINAL_ID");
    }

    @Test
    void anEmptyFileIsFatal() {
        assertThatThrownBy(() -> open("")).hasMessage("test.csv is empty: expected a header row");
    }

    private List<SimulatedTransaction> readAll(String csv) throws IOException {
        List<SimulatedTransaction> rows = new ArrayList<>();
        try (HandbookCsvReader reader = open(csv)) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    private HandbookCsvReader open(String csv) throws IOException {
        return HandbookCsvReader.open(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                "test.csv",
                malformed::add);
    }
}
