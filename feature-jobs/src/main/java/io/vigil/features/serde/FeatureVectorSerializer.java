package io.vigil.features.serde;

import io.vigil.features.FeatureDefinitions;
import io.vigil.features.records.TxFeatures;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each transaction's features to the feature log as a {@link FeatureVector}, keyed by
 * transaction id. Feature names are {@code <view>:<feature>}, e.g. {@code
 * customer_spending:nb_tx_7d}, and {@code request:<feature>} for the request-time ones.
 */
public final class FeatureVectorSerializer implements KafkaRecordSerializationSchema<TxFeatures> {

    // Built once: the names are the same in every record, which is written per transaction.
    private static final String[] CUSTOMER_SPENDING_NAMES =
            FeatureViews.CUSTOMER_SPENDING.qualifiedFeatureNames().toArray(String[]::new);
    private static final String[] TERMINAL_RISK_NAMES =
            FeatureViews.TERMINAL_RISK.qualifiedFeatureNames().toArray(String[]::new);
    private static final String[] REQUEST_NAMES =
            FeatureDefinitions.QUALIFIED_REQUEST_FEATURES.toArray(String[]::new);
    private static final int FEATURE_COUNT =
            CUSTOMER_SPENDING_NAMES.length + TERMINAL_RISK_NAMES.length + REQUEST_NAMES.length;
    private static final Map<String, Integer> VIEW_VERSIONS =
            Map.of(
                    FeatureViews.CUSTOMER_SPENDING.name(),
                    FeatureViews.CUSTOMER_SPENDING.version(),
                    FeatureViews.TERMINAL_RISK.name(),
                    FeatureViews.TERMINAL_RISK.version());

    private final String topic;
    private transient AvroSerde<FeatureVector> serde;

    public FeatureVectorSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serde = AvroSerde.of(FeatureVector.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            TxFeatures features, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                // Wall-clock record time: event times of a replay would fall outside retention.
                null,
                features.tx.transactionId.getBytes(StandardCharsets.UTF_8),
                serde.serialize(toFeatureVector(features, Instant.now())));
    }

    /** The Avro record of one transaction's features. */
    public static FeatureVector toFeatureVector(TxFeatures features, Instant computedAt) {
        Map<String, Double> values = new HashMap<>(2 * FEATURE_COUNT);
        put(values, CUSTOMER_SPENDING_NAMES, features.customerSpending);
        put(values, TERMINAL_RISK_NAMES, features.terminalRisk);
        put(
                values,
                REQUEST_NAMES,
                FeatureDefinitions.requestFeatures(
                        features.tx.eventTimeMillis, features.tx.amountMinorUnits));
        return FeatureVector.newBuilder()
                .setTransactionId(features.tx.transactionId)
                .setEventTime(Instant.ofEpochMilli(features.tx.eventTimeMillis))
                .setCustomerId(features.tx.customerId)
                .setTerminalId(features.tx.terminalId)
                .setFeatures(values)
                .setFeatureViewVersions(VIEW_VERSIONS)
                .setComputedAt(computedAt)
                .build();
    }

    private static void put(Map<String, Double> values, String[] names, double[] vector) {
        for (int i = 0; i < names.length; i++) {
            values.put(names[i], vector[i]);
        }
    }
}
