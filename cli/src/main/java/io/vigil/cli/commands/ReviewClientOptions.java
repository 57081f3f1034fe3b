package io.vigil.cli.commands;

import io.vigil.cli.Converters;
import io.vigil.cli.review.ReviewClient;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the review service is, for the commands that talk to it. */
public final class ReviewClientOptions {

    @Option(
            names = "--url",
            paramLabel = "URL",
            defaultValue = "${env:VIGIL_REVIEW_URL:-http://127.0.0.1:8090}",
            description =
                    "The review service (default: $VIGIL_REVIEW_URL or http://127.0.0.1:8090).")
    URI url;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "PT15S",
            converter = Converters.DurationConverter.class,
            description = "How long to wait for the service (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    ReviewClient client() {
        if (url.getScheme() == null
                || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException("--url " + url + " is not an http(s) URL");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
        return new ReviewClient(url, timeout);
    }
}
