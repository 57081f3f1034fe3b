package io.vigil.cli.commands;

import io.vigil.cli.KafkaOptions;
import io.vigil.cli.KafkaTopics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil topics count}: partitions and messages of every topic with the prefix. */
@Command(
        name = "count",
        description = {
            "Print the number of messages of every topic with the prefix (default vigil.*):"
                    + " end minus start offsets summed over partitions.",
            "Records removed by retention are not counted; transaction markers are."
        },
        mixinStandardHelpOptions = true)
public final class TopicsCountCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaTopics topics = new KafkaTopics(kafka)) {
            List<String> names = topics.topicsWithPrefix(kafka.topicPrefix());
            if (names.isEmpty()) {
                out.println("no topics named " + kafka.topicPrefix() + "* at " + kafka.bootstrap());
                out.flush();
                return 0;
            }
            Map<String, KafkaTopics.TopicCount> counts = topics.counts(names);
            int width = names.stream().mapToInt(String::length).max().orElse(0);
            String row = "%-" + Math.max(5, width) + "s  %10s  %15s%n";
            out.printf(Locale.ROOT, row, "topic", "partitions", "messages");
            counts.forEach(
                    (name, count) ->
                            out.printf(
                                    Locale.ROOT,
                                    row,
                                    name,
                                    count.partitions(),
                                    String.format(Locale.ROOT, "%,d", count.messages())));
        }
        out.flush();
        return 0;
    }
}
