package io.vigil.features.serde;

import io.vigil.features.records.InputRecord;
import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.RejectedRecord;
import io.vigil.features.records.TxEvent;
import io.vigil.schemas.Label;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Kafka records of the transactions or the labels topic into {@link InputRecord}s. A record
 * that is not valid Avro of the topic's type becomes a {@link RejectedRecord} with its original
 * bytes, location and reason: nothing is dropped silently and the job does not fail.
 */
public final class InputRecordDeserializer
        implements KafkaRecordDeserializationSchema<InputRecord> {

    private enum Kind {
        TRANSACTIONS,
        LABELS
    }

    private final Kind kind;
    private transient AvroSerde<Transaction> transactions;
    private transient AvroSerde<Label> labels;

    private InputRecordDeserializer(Kind kind) {
        this.kind = kind;
    }

    /** For the topic of {@link Transaction}s. */
    public static InputRecordDeserializer transactions() {
        return new InputRecordDeserializer(Kind.TRANSACTIONS);
    }

    /** For the topic of {@link Label}s. */
    public static InputRecordDeserializer labels() {
        return new InputRecordDeserializer(Kind.LABELS);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        if (kind == Kind.TRANSACTIONS) {
            transactions = AvroSerde.of(Transaction.class);
        } else {
            labels = AvroSerde.of(Label.class);
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputRecord> out) {
        try {
            out.collect(kind == Kind.TRANSACTIONS ? transaction(record) : label(record));
        } catch (MalformedRecordException e) {
            out.collect(InputRecord.of(RejectedRecord.malformed(record, e)));
        }
    }

    private InputRecord transaction(ConsumerRecord<byte[], byte[]> record)
            throws MalformedRecordException {
        Transaction tx =
                transactions.deserialize(
                        record.topic(), record.partition(), record.offset(), record.value());
        TxEvent event = new TxEvent();
        event.transactionId = tx.getTransactionId();
        event.customerId = tx.getCustomerId();
        event.terminalId = tx.getTerminalId();
        event.eventTimeMillis = tx.getEventTime().toEpochMilli();
        event.amountMinorUnits = tx.getAmount().getMinorUnits();
        event.partition = record.partition();
        event.offset = record.offset();
        event.ingestTimeMillis = record.timestamp();
        event.sourceTopic = record.topic();
        event.sourceKey = record.key();
        event.sourceValue = record.value();
        return InputRecord.of(event);
    }

    private InputRecord label(ConsumerRecord<byte[], byte[]> record)
            throws MalformedRecordException {
        Label label =
                labels.deserialize(
                        record.topic(), record.partition(), record.offset(), record.value());
        LabelEvent event = new LabelEvent();
        event.transactionId = label.getTransactionId();
        event.customerId = label.getCustomerId();
        event.terminalId = label.getTerminalId();
        event.txEventTimeMillis = label.getTxEventTime().toEpochMilli();
        event.labelTimeMillis = label.getLabelTime().toEpochMilli();
        event.fraud = label.getIsFraud();
        return InputRecord.of(event);
    }

    @Override
    public TypeInformation<InputRecord> getProducedType() {
        return TypeInformation.of(InputRecord.class);
    }
}
