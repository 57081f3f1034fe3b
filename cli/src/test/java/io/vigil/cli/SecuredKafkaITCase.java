package io.vigil.cli;

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
}
