package io.vigil.features;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the streaming feature job: parses {@link FeatureJobConfig} (reading the files its
 * options name) and runs {@link FeaturePipeline} between Kafka and Redis. Arguments: see {@link
 * FeatureJobConfig} or {@code feature-jobs/README.md}.
 */
public final class FeatureJob {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureJob.class);

    private FeatureJob() {}

    public static void main(String[] args) throws Exception {
        FeatureJobConfig config = FeatureJobConfig.parse(args);
        LOG.info(
                "Kafka client settings: {}; Redis: {}",
                config.kafkaProperties(),
                config.redis().auth());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FeaturePipeline.flinkConfiguration(config));
        FeaturePipeline.define(
                env, config, FeatureSources.kafka(config), FeatureSinks.kafkaAndRedis(config));
        env.execute("vigil-feature-jobs");
    }
}
