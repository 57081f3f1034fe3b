package io.vigil.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The topic registry, the local stack (infra/) and docker-compose.yml describe one platform; this
 * test keeps their images, ports, topics and Flink settings in step.
 */
class StackConfigConsistencyTest {

    private static final Path REPO = Path.of(System.getProperty("vigil.repo", "..")).normalize();
    private static final Pattern ENV_DEFAULT =
            Pattern.compile("^(VIGIL_[A-Z_]+)=\"\\$\\{\\1:-(.*)}\"$");

    @Test
    void topicsConfCreatesExactlyTheRegistryTopics() throws IOException {
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (TopicSpec<?> spec : TopicRegistry.defaults().all()) {
            expected.put(spec.name(), spec.partitions());
        }

        assertThat(topicsConf()).containsExactlyEntriesOf(expected);
    }

    @Test
    void composeImagesMatchTheBuildVersions() throws IOException {
        JsonNode services = compose().get("services");

        assertThat(services.at("/kafka/image").asText())
                .isEqualTo("apache/kafka:" + System.getProperty("vigil.kafka.version"));
        assertThat(services.at("/jobmanager/image").asText())
                .isEqualTo("flink:" + System.getProperty("vigil.flink.version") + "-java17");
        assertThat(services.at("/taskmanager/image").asText())
                .isEqualTo(services.at("/jobmanager/image").asText());
        // Debian bookworm's redis-server, which the local stack runs, is 7.0.15.
        assertThat(services.at("/redis/image").asText()).isEqualTo("redis:7.0.15");
    }

    @Test
    void composePublishesTheLocalStackPorts() throws IOException {
        Map<String, String> env = stackEnv();
        JsonNode services = compose().get("services");
        String[] promPorts = env.get("VIGIL_FLINK_PROM_PORTS").split("-");

        assertThat(ports(services, "kafka")).contains(mapping(env.get("VIGIL_KAFKA_PORT")));
        assertThat(ports(services, "redis")).contains(mapping(env.get("VIGIL_REDIS_PORT")));
        assertThat(ports(services, "jobmanager"))
                .contains(mapping(env.get("VIGIL_FLINK_REST_PORT")), mapping(promPorts[0]));
        assertThat(ports(services, "taskmanager")).contains(mapping(promPorts[1]));
        assertThat(ports(services, "prometheus"))
                .contains(mapping(env.get("VIGIL_PROMETHEUS_PORT")));
        assertThat(ports(services, "grafana")).contains(mapping(env.get("VIGIL_GRAFANA_PORT")));
    }

    @Test
    void composeFlinkSettingsMatchTheLocalStack() throws IOException {
        Map<String, String> env = stackEnv();
        Map<String, String> flinkConf = flinkConfig();
        JsonNode services = compose().get("services");
        Map<String, String> jm = flinkProperties(services, "jobmanager");
        Map<String, String> tm = flinkProperties(services, "taskmanager");

        assertThat(jm.get("jobmanager.memory.process.size"))
                .isEqualTo(env.get("VIGIL_FLINK_JM_PROCESS_SIZE"));
        assertThat(tm.get("taskmanager.memory.process.size"))
                .isEqualTo(env.get("VIGIL_FLINK_TM_PROCESS_SIZE"));
        assertThat(tm.get("taskmanager.numberOfTaskSlots"))
                .isEqualTo(env.get("VIGIL_FLINK_TM_SLOTS"));
        for (String key :
                List.of(
                        "taskmanager.memory.managed.fraction",
                        "state.backend.type",
                        "cluster.registration.error-delay",
                        "metrics.reporter.prom.factory.class",
                        "metrics.reporter.prom.filter.excludes")) {
            assertThat(tm.get(key)).as(key).isEqualTo(flinkConf.get(key));
        }
    }

    @Test
    void localFlinkJvmsGetTheSameModuleFlagsAsTheTestJvms() throws IOException {
        assertThat(flinkConfig().get("env.java.opts.all"))
                .isEqualTo(System.getProperty("vigil.flink.jvm.opens"));
    }

    private static Map<String, Integer> topicsConf() throws IOException {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String line : Files.readAllLines(REPO.resolve("infra/topics.conf"))) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            topics.put(parts[0], Integer.parseInt(parts[1]));
        }
        return topics;
    }

    private static Map<String, String> stackEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(REPO.resolve("infra/stack.env"))) {
            Matcher m = ENV_DEFAULT.matcher(line.strip());
            if (m.matches()) {
                env.put(m.group(1), m.group(2));
            }
        }
        return env;
    }

    private static Map<String, String> flinkConfig() throws IOException {
        return keyValues(Files.readString(REPO.resolve("infra/flink/conf/config.yaml")));
    }

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory())
                .readTree(REPO.resolve("docker-compose.yml").toFile());
    }

    private static Map<String, String> flinkProperties(JsonNode services, String service) {
        return keyValues(services.at("/" + service + "/environment/FLINK_PROPERTIES").asText());
    }

    private static Map<String, String> keyValues(String flatYaml) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : flatYaml.split("\n")) {
            String trimmed = line.strip();
            int colon = trimmed.indexOf(": ");
            if (trimmed.startsWith("#") || colon < 0) {
                continue;
            }
            values.put(trimmed.substring(0, colon), trimmed.substring(colon + 2).strip());
        }
        return values;
    }

    private static List<String> ports(JsonNode services, String service) {
        List<String> ports = new ArrayList<>();
        services.at("/" + service + "/ports").forEach(p -> ports.add(p.asText()));
        return ports;
    }

    private static String mapping(String port) {
        return port + ":" + port;
    }
}
