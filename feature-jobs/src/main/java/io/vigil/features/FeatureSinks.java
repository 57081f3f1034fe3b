package io.vigil.features;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.features.records.RejectedRecord;
import io.vigil.features.records.TxFeatures;
import io.vigil.features.redis.FeastRedisSink;
import io.vigil.features.serde.DeadLetterSerializer;
import io.vigil.features.serde.FeatureVectorSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The job's outputs: the feature log (one vector per transaction), the online store (Feast rows and
 * history snapshots of both views) and the dead-letter topic (malformed and late records).
 */
public record FeatureSinks(
        Sink<TxFeatures> featureLog,
        Sink<OnlineStoreWrite> onlineStore,
        Sink<RejectedRecord> deadLetter) {

    /** Kafka and Redis as configured. */
    public static FeatureSinks kafkaAndRedis(FeatureJobConfig config) {
        KafkaSink<TxFeatures> featureLog =
                KafkaSink.<TxFeatures>builder()
                        .setKafkaProducerConfig(config.kafkaProperties().properties())
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(new FeatureVectorSerializer(config.featuresTopic()))
                        .setDeliveryGuarantee(config.featureLogDelivery())
                        .setTransactionalIdPrefix(config.transactionalIdPrefix())
                        .setProperty(
                                "transaction.timeout.ms",
                                Long.toString(config.transactionTimeout().toMillis()))
                        .build();
        // Dead letters are diagnostics: a repeat after a restart is harmless, a checkpoint-long
        // delay is not wanted.
        KafkaSink<RejectedRecord> deadLetter =
                KafkaSink.<RejectedRecord>builder()
                        .setKafkaProducerConfig(config.kafkaProperties().properties())
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(new DeadLetterSerializer(config.deadLetterTopic()))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build();
        return new FeatureSinks(featureLog, new FeastRedisSink(config.redis()), deadLetter);
    }
}
