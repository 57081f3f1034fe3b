package io.vigil.scoring;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the scoring job: parses {@link ScoringJobConfig} and runs {@link ScoringPipeline}
 * between Kafka and Redis. Arguments: {@code --help}, or {@code scoring-job/README.md}.
 */
public final class ScoringJob {

    /** The name the job runs under (the submit script recognises a running instance by it). */
    public static final String NAME = "vigil-scoring-job";

    private static final Logger LOG = LoggerFactory.getLogger(ScoringJob.class);

    private ScoringJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            System.out.println(ScoringJobConfig.usage());
            return;
        }
        ScoringJobConfig config = ScoringJobConfig.parse(args);
        LOG.info("Kafka client settings: {}", config.kafkaProperties());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        ScoringPipeline.flinkConfiguration(config));
        ScoringPipeline.define(
                env, config, ScoringSources.kafka(config), ScoringSinks.kafka(config));
        env.execute(NAME);
    }
}
