package io.vigil.cli;

import io.vigil.testkit.KafkaExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SecuredKafkaCommands} against a broker that speaks only TLS and takes only clients that
 * log in with SCRAM-SHA-512, admitting them only to what ACLs allow: the settings of
 * docs/security.md's SASL_SSL example.
 */
class SaslTlsKafkaITCase extends SecuredKafkaCommands {

    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.withSaslOverTls();

    @Override
    KafkaExtension kafka() {
        return KAFKA;
    }
}
