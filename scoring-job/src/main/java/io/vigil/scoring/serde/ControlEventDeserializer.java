package io.vigil.scoring.serde;

import io.vigil.features.records.InputRecord;
import io.vigil.features.records.RejectedRecord;
import io.vigil.features.serde.InputRecordDeserializer;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.scoring.records.ControlEvent;
import io.vigil.scoring.records.ModelChange;
import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes records of the model-events and the labels topic into {@link ControlEvent}s, by topic; an
 * undecodable record becomes a rejected one with its bytes and reason, never an exception.
 */
public final class ControlEventDeserializer
        implements KafkaRecordDeserializationSchema<ControlEvent> {

    private final String labelsTopic;
    private transient AvroSerde<ModelEvent> modelEvents;
    private transient InputRecordDeserializer labelDecoder;

    /** Records of {@code labelsTopic} are labels; records of any other topic are model events. */
    public ControlEventDeserializer(String labelsTopic) {
        this.labelsTopic = labelsTopic;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        labelDecoder = InputRecordDeserializer.labels();
        labelDecoder.open(context);
        modelEvents = AvroSerde.of(ModelEvent.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ControlEvent> out)
            throws IOException {
        if (labelsTopic.equals(record.topic())) {
            labelDecoder.deserialize(record, new LabelCollector(out));
            return;
        }
        try {
            ModelEvent event =
                    modelEvents.deserialize(
                            record.topic(), record.partition(), record.offset(), record.value());
            out.collect(ControlEvent.of(ModelChange.of(event)));
        } catch (MalformedRecordException e) {
            out.collect(ControlEvent.of(RejectedRecord.malformed(record, e)));
        }
    }

    @Override
    public TypeInformation<ControlEvent> getProducedType() {
        return TypeInformation.of(ControlEvent.class);
    }

    /** Adapts the feature job's label decoding to control events. */
    private record LabelCollector(Collector<ControlEvent> out) implements Collector<InputRecord> {
        @Override
        public void collect(InputRecord record) {
            out.collect(
                    record.label != null
                            ? ControlEvent.of(record.label)
                            : ControlEvent.of(record.rejected));
        }

        @Override
        public void close() {}
    }
}
