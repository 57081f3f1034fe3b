package io.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.schemas.FeatureValue;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final Instant T0 = Instant.parse("2018-04-01T10:15:30.123Z");

    private static Transaction transaction() {
        return Transaction.newBuilder()
                .setTransactionId("tx-1")
                .setEventTime(T0)
                .setCustomerId("c-7")
                .setTerminalId("t-9")
                .setAmount(new Money(12_345L, "EUR"))
                .setCountry("BE")
                .build();
    }

    @Test
    void roundTripsEveryFieldOfATransaction() throws Exception {
        AvroSerde<Transaction> serde = AvroSerde.of(Transaction.class);

        Transaction back = serde.deserialize("t", 0, 0, serde.serialize(transaction()));

        assertThat(back).isEqualTo(transaction());
        assertThat(back.getAmount().getMinorUnits()).isEqualTo(12_345L);
        assertThat(back.getChannel()).isNull();
    }

    @Test
    void roundTripsNestedRecordsUnionsMapsAndEnums() throws Exception {
        Decision decision =
                Decision.newBuilder()
                        .setTransactionId("tx-1")
                        .setEventTime(T0)
                        .setCustomerId("c-7")
                        .setDecision(DecisionOutcome.REVIEW)
                        .setBand("review")
                        .setDecidedBy(ModelRole.CHAMPION)
                        .setChampion(new ModelScore("gbt", "3", 0.42, null))
                        .setChallenger(new ModelScore("gbt", "4", null, "session closed"))
                        .setChallengerMode(ChallengerMode.SHADOW)
                        .setFeatures(
                                List.of(
                                        new FeatureValue("customer_spending:nb_tx_1d", 3.0, 1200L),
                                        new FeatureValue("request:tx_amount", 12.5, null)))
                        .setLatency(new LatencyBreakdown(10L, 40L, 25L, 90L))
                        .setEmittedAt(T0.plusMillis(5))
                        .build();
        FeatureVector vector =
                FeatureVector.newBuilder()
                        .setTransactionId("tx-1")
                        .setEventTime(T0)
                        .setCustomerId("c-7")
                        .setTerminalId("t-9")
                        .setFeatures(Map.of("customer_spending:avg_amount_1d", 12.5))
                        .setFeatureViewVersions(Map.of("customer_spending", 1))
                        .build();
        Label label =
                new Label(
                        "tx-1",
                        "c-7",
                        "t-9",
                        T0,
                        T0.plusSeconds(604_800),
                        true,
                        LabelSource.CHARGEBACK);

        assertThat(roundTrip(Decision.class, decision)).isEqualTo(decision);
        assertThat(roundTrip(FeatureVector.class, vector)).isEqualTo(vector);
        assertThat(roundTrip(Label.class, label)).isEqualTo(label);
    }

    /** v0 (test resource avro-history) had no channel/merchant_category/country fields. */
    @Test
    void readsARecordWrittenWithTheOlderSchemaFromTheHistory() throws Exception {
        Schema v0 = historySchema("v0.avsc");
        GenericRecord old = new GenericData.Record(v0);
        old.put("transaction_id", "tx-old");
        old.put("event_time", T0.toEpochMilli());
        old.put("customer_id", "c-1");
        old.put("terminal_id", "t-1");
        GenericRecord money = new GenericData.Record(v0.getField("amount").schema());
        money.put("minor_units", 500L);
        money.put("currency", "EUR");
        old.put("amount", money);
        byte[] bytes = toBytes(new BinaryMessageEncoder<>(GenericData.get(), v0).encode(old));

        Transaction read = AvroSerde.of(Transaction.class).deserialize("t", 0, 3, bytes);

        assertThat(read.getTransactionId()).isEqualTo("tx-old");
        assertThat(read.getEventTime()).isEqualTo(T0);
        assertThat(read.getCountry()).as("new field takes its default").isNull();
    }

    @Test
    void anOlderReaderReadsARecordWrittenWithANewerSchemaThatAddsAField() throws Exception {
        Schema current = Transaction.getClassSchema();
        Schema newer =
                addField(current, "device_id", SchemaBuilder.builder().stringType(), "unknown");
        GenericRecord record = new GenericData.Record(newer);
        Transaction tx = transaction();
        for (Schema.Field f : current.getFields()) {
            record.put(f.name(), GenericData.get().deepCopy(f.schema(), toGeneric(tx, f)));
        }
        record.put("device_id", "d-42");
        byte[] bytes = toBytes(new BinaryMessageEncoder<>(GenericData.get(), newer).encode(record));

        AvroSerde<Transaction> reader = AvroSerde.of(Transaction.class, List.of(newer));

        assertThat(reader.deserialize("t", 0, 0, bytes)).isEqualTo(tx);
        assertThatThrownBy(() -> AvroSerde.of(Transaction.class).deserialize("t", 1, 2, bytes))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("unknown to this reader");
        // And the reverse direction: the newer reader fills the default for the added field.
        BinaryMessageDecoder<GenericRecord> newerReader =
                new BinaryMessageDecoder<>(GenericData.get(), newer);
        newerReader.addSchema(current);
        GenericRecord upgraded = newerReader.decode(AvroSerde.of(Transaction.class).serialize(tx));
        assertThat(upgraded.get("device_id")).hasToString("unknown");
    }

    @Test
    void garbageNamesTopicPartitionOffsetAndReason() {
        AvroSerde<Transaction> serde = AvroSerde.of(Transaction.class);

        assertThatThrownBy(() -> serde.deserialize("vigil.transactions", 2, 17, "hello".getBytes()))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("topic vigil.transactions partition 2 offset 17")
                .hasMessageContaining("not Avro single-object encoded");
        assertThatThrownBy(() -> serde.deserialize("vigil.transactions", 0, 5, new byte[0]))
                .hasMessageContaining("offset 5")
                .hasMessageContaining("empty value");
    }

    @Test
    void truncatedAndWrongTypeRecordsAreMalformedNotCrashes() throws Exception {
        AvroSerde<Transaction> serde = AvroSerde.of(Transaction.class);
        byte[] good = serde.serialize(transaction());
        byte[] truncated = Arrays.copyOf(good, good.length - 6);
        byte[] aLabel =
                AvroSerde.of(Label.class)
                        .serialize(new Label("x", "c", "t", T0, T0, false, LabelSource.SIMULATOR));

        MalformedRecordException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        MalformedRecordException.class,
                        () -> serde.deserialize("vigil.transactions", 1, 99, truncated));
        assertThat(e.topic()).isEqualTo("vigil.transactions");
        assertThat(e.partition()).isEqualTo(1);
        assertThat(e.offset()).isEqualTo(99);
        assertThat(e.reason()).startsWith("cannot decode Transaction");
        assertThatThrownBy(() -> serde.deserialize("vigil.transactions", 0, 1, aLabel))
                .hasMessageContaining("unknown to this reader of Transaction");
    }

    @Test
    void deadLettersKeepTheOriginalBytes() throws Exception {
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic("vigil.transactions")
                        .setSourcePartition(0)
                        .setSourceOffset(42)
                        .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setReason("bad")
                        .setFailedAt(T0)
                        .setComponent("feature-job")
                        .build();

        assertThat(roundTrip(DeadLetter.class, letter).getValue().array()).containsExactly(1, 2, 3);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(
            Class<T> type, T record) throws MalformedRecordException {
        AvroSerde<T> serde = AvroSerde.of(type);
        return serde.deserialize("t", 0, 0, serde.serialize(record));
    }

    private static Object toGeneric(Transaction tx, Schema.Field f) {
        Object value = tx.get(f.pos());
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Money m) {
            GenericRecord money = new GenericData.Record(m.getSchema());
            money.put("minor_units", m.getMinorUnits());
            money.put("currency", m.getCurrency());
            return money;
        }
        return value;
    }

    private static Schema addField(Schema base, String name, Schema type, Object defaultValue) {
        List<Schema.Field> fields =
                base.getFields().stream()
                        .map(f -> new Schema.Field(f, f.schema()))
                        .collect(java.util.stream.Collectors.toList());
        fields.add(new Schema.Field(name, type, null, defaultValue));
        return Schema.createRecord(
                base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    private static Schema historySchema(String file) throws IOException {
        try (InputStream in =
                AvroSerdeTest.class.getResourceAsStream(
                        "/avro-history/io.vigil.schemas.Transaction/" + file)) {
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        return out.toByteArray();
    }
}
