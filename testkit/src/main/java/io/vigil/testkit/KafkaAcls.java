package io.vigil.testkit;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs that allow one principal what a component needs, as docs/security.md lists them
 * (READ and WRITE imply DESCRIBE). {@link KafkaExtension#grant} creates them.
 */
public final class KafkaAcls {

    private final String principal;
    private final List<AclBinding> bindings = new ArrayList<>();

    private KafkaAcls(String principal) {
        this.principal = principal;
    }

    /** Grants to {@code principal}, e.g. {@code User:plain-user1}. */
    public static KafkaAcls forPrincipal(String principal) {
        return new KafkaAcls(principal);
    }

    public KafkaAcls readTopics(String... topics) {
        for (String topic : topics) {
            allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ);
        }
        return this;
    }

    public KafkaAcls writeTopics(String... topics) {
        for (String topic : topics) {
            allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE);
        }
        return this;
    }

    /** DESCRIBE alone: see a topic and its offsets, read nothing. */
    public KafkaAcls describeTopics(String... topics) {
        for (String topic : topics) {
            allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE);
        }
        return this;
    }

    /** READ on a consumer group: commit and read its offsets. */
    public KafkaAcls readGroup(String group) {
        return allow(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ);
    }

    /** WRITE on every transactional id that starts with {@code prefix}. */
    public KafkaAcls writeTransactionalIds(String prefix) {
        return allow(
                ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED, AclOperation.WRITE);
    }

    public List<AclBinding> bindings() {
        return List.copyOf(bindings);
    }

    private KafkaAcls allow(
            ResourceType type, String name, PatternType pattern, AclOperation operation) {
        bindings.add(
                new AclBinding(
                        new ResourcePattern(type, name, pattern),
                        new AccessControlEntry(
                                principal, "*", operation, AclPermissionType.ALLOW)));
        return this;
    }
}
