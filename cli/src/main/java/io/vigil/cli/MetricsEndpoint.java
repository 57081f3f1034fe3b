package io.vigil.cli;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A long-running command's own Prometheus registry, served on {@code /metrics} or kept unserved.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HTTPServer server;
    private final String what;

    private MetricsEndpoint(Integer port, String what) {
        this.what = what;
        if (port == null) {
            server = null;
            return;
        }
        try {
            server = HTTPServer.builder().port(port).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + what + " metrics on port " + port, e);
        }
    }

    /**
     * A registry served on {@code port} of every interface ({@code 0}: any free port), or not
     * served ({@code null}); {@code what} names the command in errors.
     */
    public static MetricsEndpoint open(Integer port, String what) {
        return new MetricsEndpoint(port, what);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The port served on. */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("the " + what + " metrics are not served");
        }
        return server.getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
