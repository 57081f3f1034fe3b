package io.vigil.drift;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the drift job: parses {@link DriftJobConfig} and runs {@link DriftPipeline}
 * between Kafka topics. Arguments: {@code --help}, or {@code docs/drift.md}.
 */
public final class DriftJob {
    private static final Logger LOG = LoggerFactory.getLogger(DriftJob.class);

    /** The name the job runs under. */
    public static final String NAME = "vigil-drift-job";

    private DriftJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            System.out.println(DriftJobConfig.usage());
            return;
        }
        DriftJobConfig config = DriftJobConfig.parse(args);
        LOG.info("Kafka client settings: {}", config.kafkaProperties());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        DriftPipeline.flinkConfiguration(config));
        DriftPipeline.define(env, config, DriftSources.kafka(config), DriftSinks.kafka(config));
        env.execute(NAME);
    }
}
