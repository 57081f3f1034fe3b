import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of a topics file ("name partitions" per line, '#' comments) that the broker does not
 * have yet, with replication factor 1, and prints the names it created. Existing topics are never altered;
 * one whose partition count differs from the file is reported on stderr.
 *
 * <p>Run by infra/bin/up.sh as a single-file program ({@code java -cp var/lib/kafka/* EnsureTopics.java
 * BOOTSTRAP FILE}): one JVM for all topics instead of one kafka-topics run per topic.
 */
public final class EnsureTopics {

    private EnsureTopics() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EnsureTopics BOOTSTRAP_SERVERS TOPICS_FILE");
            System.exit(64);
        }
        Map<String, Integer> wanted = readTopics(Path.of(args[1]));
        Map<String, Object> config =
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            List<String> present = new ArrayList<>();
            wanted.forEach(
                    (name, partitions) -> {
                        if (existing.contains(name)) {
                            present.add(name);
                        } else {
                            missing.add(new NewTopic(name, partitions, (short) 1));
                        }
                    });
            for (Map.Entry<String, KafkaFuture<Void>> created :
                    admin.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get();
                    System.out.println(created.getKey());
                } catch (ExecutionException e) {
                    // Another client created it between the listing and now: the goal is met.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames().get();
            described.forEach(
                    (name, description) -> {
                        int actual = description.partitions().size();
                        if (actual != wanted.get(name)) {
                            System.err.printf(
                                    "vigil: topic %s has %d partitions, %s asks for %d (left as is)%n",
                                    name, actual, args[1], wanted.get(name));
                        }
                    });
        }
    }

    private static Map<String, Integer> readTopics(Path file) throws Exception {
        Map<String, Integer> topics = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2 || !fields[1].matches("[1-9][0-9]{0,4}")) {
                System.err.printf(
                        "%s:%d: expected \"<topic> <partitions>\", got \"%s\"%n", file, i + 1, lines.get(i));
                System.exit(65);
            }
            topics.put(fields[0], Integer.parseInt(fields[1]));
        }
        return topics;
    }
}
