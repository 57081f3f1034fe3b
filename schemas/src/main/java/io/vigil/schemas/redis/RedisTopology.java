package io.vigil.schemas.redis;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where the online store is: one Redis server, a Redis Cluster known by one or more seed nodes, or
 * a primary found through one or more Redis Sentinels. Production setups name several seeds or
 * Sentinels so that the client starts, and follows failovers, while one of them is down; the
 * options are {@code --redis-host h1:p1,h2:p2} with {@code --redis-cluster} or {@code
 * --redis-sentinel-primary NAME} ({@link #parse}).
 */
public record RedisTopology(List<Address> addresses, boolean cluster, String sentinelPrimary)
        implements Serializable {

    /** Redis's own port, of a server or a cluster node. */
    public static final int DEFAULT_PORT = 6379;

    /** A Sentinel's own port. */
    public static final int DEFAULT_SENTINEL_PORT = 26379;

    /** One server, seed node or Sentinel. */
    public record Address(String host, int port) implements Serializable {

        public Address {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("redis host is required");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(
                        "redis port must be in 1..65535, got " + port + " for " + host);
            }
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public RedisTopology {
        Objects.requireNonNull(addresses, "addresses");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("redis host is required");
        }
        if (new HashSet<>(addresses).size() < addresses.size()) {
            throw new IllegalArgumentException("redis address named twice: " + addresses);
        }
        if (cluster && sentinelPrimary != null) {
            throw new IllegalArgumentException(
                    "a Redis Cluster has no Sentinel: --redis-cluster or --redis-sentinel-primary");
        }
        if (sentinelPrimary != null && sentinelPrimary.isBlank()) {
            throw new IllegalArgumentException("the Sentinel's primary name must not be blank");
        }
        if (!cluster && sentinelPrimary == null && addresses.size() > 1) {
            throw new IllegalArgumentException(
                    "several Redis addresses ("
                            + addresses
                            + ") are the seed nodes of a Redis Cluster (--redis-cluster) or"
                            + " Sentinels (--redis-sentinel-primary); one server has one");
        }
    }

    /** One server at {@code host:port}. */
    public static RedisTopology single(String host, int port) {
        return new RedisTopology(List.of(new Address(host, port)), false, null);
    }

    /**
     * The topology the options {@code --redis-host}, {@code --redis-port}, {@code --redis-cluster}
     * and {@code --redis-sentinel-primary} describe. {@code hosts} is a comma-separated list of
     * {@code host} or {@code host:port} (an IPv6 address in brackets when it has a port); an entry
     * without a port takes {@code port}, or when that is null the default: {@value #DEFAULT_PORT},
     * or {@value #DEFAULT_SENTINEL_PORT} for Sentinels.
     *
     * @throws IllegalArgumentException naming the entry that is not an address
     */
    public static RedisTopology parse(
            String hosts, Integer port, boolean cluster, String sentinelPrimary) {
        if (hosts == null || hosts.isBlank()) {
            throw new IllegalArgumentException("redis host is required");
        }
        int defaultPort =
                port != null
                        ? port
                        : sentinelPrimary != null ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT;
        List<Address> addresses = new ArrayList<>();
        for (String entry : hosts.split(",", -1)) {
            addresses.add(address(entry.strip(), defaultPort));
        }
        return new RedisTopology(addresses, cluster, sentinelPrimary);
    }

    private static Address address(String entry, int defaultPort) {
        String host = entry;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0 || (close < entry.length() - 1 && entry.charAt(close + 1) != ':')) {
                throw notAnAddress(entry);
            }
            host = entry.substring(1, close);
            port = close < entry.length() - 1 ? entry.substring(close + 2) : null;
        } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') >= 0) {
            // One colon: host:port. Several without brackets: an IPv6 address alone.
            host = entry.substring(0, entry.indexOf(':'));
            port = entry.substring(entry.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw notAnAddress(entry);
        }
        try {
            return new Address(host, port == null ? defaultPort : Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw notAnAddress(entry);
        }
    }

    private static IllegalArgumentException notAnAddress(String entry) {
        return new IllegalArgumentException(
                "--redis-host entry '"
                        + entry
                        + "' is not host, host:port or [ipv6]:port (entries are separated by"
                        + " commas)");
    }

    /** The same addresses as a Redis Cluster's seed nodes, or as one server if not. */
    public RedisTopology withCluster(boolean newCluster) {
        return new RedisTopology(addresses, newCluster, sentinelPrimary);
    }

    /** The same addresses as Sentinels that know the primary as {@code primaryName}. */
    public RedisTopology withSentinel(String primaryName) {
        return new RedisTopology(addresses, cluster, primaryName);
    }

    /** The addresses as {@code --redis-host} takes them: {@code host:port,host:port}. */
    public String hosts() {
        return String.join(",", addresses.stream().map(Address::toString).toList());
    }

    @Override
    public String toString() {
        String list = hosts();
        if (cluster) {
            return "Redis Cluster at " + list;
        }
        if (sentinelPrimary != null) {
            return "Redis primary " + sentinelPrimary + " of the Sentinels at " + list;
        }
        return "Redis at " + list;
    }
}
