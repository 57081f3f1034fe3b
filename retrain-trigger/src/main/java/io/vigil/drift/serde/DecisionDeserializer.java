package io.vigil.drift.serde;

import io.vigil.drift.records.DecisionInput;
import io.vigil.drift.records.Observation;
import io.vigil.features.records.RejectedRecord;
import io.vigil.schemas.Decision;
import io.vigil.schemas.FeatureValue;
import io.vigil.schemas.ModelScore;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes {@link Decision}s into one {@link Observation} per model version they name (champion, and
 * challenger if present). A feature or score that is null or not finite is no value of that
 * subject: a fallback decision without a score still observes the features of the versions it
 * names. An undecodable record becomes a rejected one with its bytes and reason, never an
 * exception.
 */
public final class DecisionDeserializer implements KafkaRecordDeserializationSchema<DecisionInput> {

    private transient AvroSerde<Decision> serde;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        serde = AvroSerde.of(Decision.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecisionInput> out) {
        Decision decision;
        try {
            decision =
                    serde.deserialize(
                            record.topic(), record.partition(), record.offset(), record.value());
        } catch (MalformedRecordException e) {
            out.collect(DecisionInput.of(RejectedRecord.malformed(record, e)));
            return;
        }
        out.collect(observations(decision));
    }

    /** The observations of one decision. */
    public static DecisionInput observations(Decision decision) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (FeatureValue feature : decision.getFeatures()) {
            if (feature.getValue() != null && Double.isFinite(feature.getValue())) {
                names.add(feature.getName());
                values.add(feature.getValue());
            }
        }
        long eventTime = decision.getEventTime().toEpochMilli();
        List<Observation> observations = new ArrayList<>(2);
        for (ModelScore model :
                new ModelScore[] {decision.getChampion(), decision.getChallenger()}) {
            if (model != null) {
                observations.add(observation(model, eventTime, names, values));
            }
        }
        return DecisionInput.of(eventTime, observations.toArray(Observation[]::new));
    }

    private static Observation observation(
            ModelScore model, long eventTime, List<String> names, List<Double> values) {
        boolean scored = model.getScore() != null && Double.isFinite(model.getScore());
        int n = names.size() + (scored ? 1 : 0);
        String[] subjects = names.toArray(new String[n]);
        double[] subjectValues = new double[n];
        for (int i = 0; i < names.size(); i++) {
            subjectValues[i] = values.get(i);
        }
        if (scored) {
            subjects[n - 1] = Observation.SCORE;
            subjectValues[n - 1] = model.getScore();
        }
        return new Observation(
                model.getModel(), model.getVersion(), eventTime, subjects, subjectValues);
    }

    @Override
    public TypeInformation<DecisionInput> getProducedType() {
        return TypeInformation.of(DecisionInput.class);
    }
}
