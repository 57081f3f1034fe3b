package io.vigil.features;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the streaming feature job: parses {@link FeatureJobConfig} and runs {@link
 * FeaturePipeline} between Kafka and Redis. Arguments: see {@link FeatureJobConfig} or {@code
 * feature-jobs/README.md}.
 */
public final class FeatureJob {

    private FeatureJob() {}

    public static void main(String[] args) throws Exception {
        FeatureJobConfig config = FeatureJobConfig.parse(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FeaturePipeline.flinkConfiguration(config));
        FeaturePipeline.define(
                env, config, FeatureSources.kafka(config), FeatureSinks.kafkaAndRedis(config));
        env.execute("vigil-feature-jobs");
    }
}
