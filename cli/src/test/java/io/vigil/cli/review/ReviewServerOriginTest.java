package io.vigil.cli.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which verdict requests {@link ReviewServer#requireSameOrigin} lets through. */
class ReviewServerOriginTest {

    // What nginx's proxy_pass http://127.0.0.1:8090 sends for the page at the public origin.
    private static final String PROXIED_HOST = "127.0.0.1:8090";
    private static final List<String> PUBLIC = List.of("https://review.example.com");

    @Test
    void withoutPublicOriginsThePageIsAtTheHostHeadersOrigin() {
        accepted(request("review.example.com", "https://review.example.com", "same-origin"));
        accepted(request("127.0.0.1:8090", "http://127.0.0.1:8090", "same-origin"));
        refused(request(PROXIED_HOST, "https://review.example.com", "same-origin"));
        refused(request(PROXIED_HOST, "http://evil.example", null));
    }

    @Test
    void publicOriginsReplaceTheHostHeadersOrigin() {
        accepted(request(PROXIED_HOST, "https://review.example.com", "same-origin"), PUBLIC);
        refused(request(PROXIED_HOST, "http://127.0.0.1:8090", "same-origin"), PUBLIC);
        refused(request("review.example.com", "http://review.example.com", null), PUBLIC);
        refused(request(PROXIED_HOST, "http://evil.example", null), PUBLIC);
    }

    @Test
    void aCrossSiteFetchIsRefusedEvenFromAnAcceptedOrigin() {
        refused(request(PROXIED_HOST, "https://review.example.com", "cross-site"), PUBLIC);
        refused(request(PROXIED_HOST, null, "cross-site"), PUBLIC);
        refused(request("review.example.com", "https://review.example.com", "cross-site"));
    }

    @Test
    void aClientThatIsNoBrowserSendsNeitherHeaderAndIsAccepted() {
        accepted(request(PROXIED_HOST, null, null), PUBLIC);
        accepted(request(PROXIED_HOST, null, "none"));
    }

    private static Headers request(String host, String origin, String fetchSite) {
        Headers headers = new Headers();
        headers.add("Host", host);
        if (origin != null) {
            headers.add("Origin", origin);
        }
        if (fetchSite != null) {
            headers.add("Sec-Fetch-Site", fetchSite);
        }
        return headers;
    }

    private static void accepted(Headers headers) {
        accepted(headers, List.of());
    }

    private static void accepted(Headers headers, List<String> publicOrigins) {
        assertThatCode(() -> ReviewServer.requireSameOrigin(headers, publicOrigins))
                .as(headers.entrySet().toString())
                .doesNotThrowAnyException();
    }

    private static void refused(Headers headers) {
        refused(headers, List.of());
    }

    private static void refused(Headers headers, List<String> publicOrigins) {
        assertThatThrownBy(() -> ReviewServer.requireSameOrigin(headers, publicOrigins))
                .as(headers.entrySet().toString())
                .isInstanceOfSatisfying(
                        ReviewException.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessageContaining("from another site's page are refused");
    }
}
