package io.vigil.cli;

import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.testkit.KafkaAcls;
import io.vigil.testkit.KafkaExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SecuredKafkaCommands} against a broker that takes only SASL PLAIN clients and admits them
 * only to what ACLs allow.
 */
class SecuredKafkaITCase extends SecuredKafkaCommands {

    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.withSasl();

    @Override
    KafkaExtension kafka() {
        return KAFKA;
    }

    @Override
    void grantCommands(TopicRegistry topics) {
        KAFKA.grant(
                KafkaAcls.forPrincipal(KAFKA.clientPrincipal())
                        .writeTopics(
                                topics.transactions().name(),
                                topics.labels().name(),
                                topics.modelEvents().name())
                        .describeTopics(
                                topics.all().stream().map(TopicSpec::name).toArray(String[]::new)));
    }
}
