package io.vigil.cli;

import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.simulator.SimulatedTransaction;
import io.vigil.simulator.feed.FeedConfig;
import io.vigil.simulator.feed.TransactionFeed;
import io.vigil.simulator.kafka.KafkaTransactionProducer;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plays a transaction source into the transactions and labels topics (created when missing), with
 * progress on stderr, Ctrl-C handling and a summary on stdout. Shared by simulate and replay.
 */
public final class KafkaFeedRunner {

    private final KafkaOptions kafka;
    private final FeedOptions feedOptions;
    private final PrintWriter out;
    private final PrintWriter err;

    public KafkaFeedRunner(
            KafkaOptions kafka, FeedOptions feedOptions, PrintWriter out, PrintWriter err) {
        this.kafka = kafka;
        this.feedOptions = feedOptions;
        this.out = out;
        this.err = err;
    }

    /**
     * @param config the validated feed settings
     * @param expectedTotal expected number of transactions of the source, negative if unknown
     */
    public TransactionFeed.Result run(
            FeedConfig config,
            TopicRegistry topics,
            Progress.Mode progressMode,
            Iterator<SimulatedTransaction> source,
            long expectedTotal) {
        try (KafkaTopics admin = new KafkaTopics(kafka)) {
            admin.ensureExist(List.of(topics.transactions(), topics.labels()));
        }
        Map<String, Object> props = kafka.transactionProducerProperties();
        props.putAll(feedOptions.producerProperties());

        TransactionFeed feed = new TransactionFeed(config);
        // Unknown (-1) only when neither the source nor --max-tx bounds the run.
        long total =
                expectedTotal < 0
                        ? config.maxTransactions()
                        : Math.min(expectedTotal, config.maxTransactions());
        if (total == Long.MAX_VALUE) {
            total = -1;
        }
        TransactionFeed.Result result;
        boolean interrupted;
        // Closed last: on Ctrl-C the JVM waits until the producer is closed and the summary out.
        try (ShutdownSignal signal = new ShutdownSignal(feed::stop);
                KafkaTransactionProducer producer =
                        new KafkaTransactionProducer(
                                props, topics.transactions().name(), topics.labels().name())) {
            try (Progress progress =
                    new Progress(progressMode, err, "tx", feed::transactionsSent, total)) {
                result = feed.run(source, producer);
            }
            interrupted = signal.signalled();
            out.printf(
                    Locale.ROOT,
                    "%s %,d transactions (%,d frauds) to %s and %,d labels to %s in %.1f s (%,.0f tx/s)%n",
                    interrupted ? "stopped after" : "produced",
                    result.transactions(),
                    result.frauds(),
                    topics.transactions().name(),
                    result.labels(),
                    topics.labels().name(),
                    result.elapsedNanos() / 1e9,
                    result.transactionsPerSecond());
            if (result.labelsNotSent() > 0) {
                out.printf(
                        Locale.ROOT,
                        "%,d labels were not yet due and were not sent%n",
                        result.labelsNotSent());
            }
            out.flush();
        }
        return result;
    }
}
