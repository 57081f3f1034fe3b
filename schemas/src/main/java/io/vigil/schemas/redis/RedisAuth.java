package io.vigil.schemas.redis;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a job authenticates to Redis: an ACL user (or none: the {@code default} user), a password (or
 * none), whether the connection uses TLS, and with TLS the stores to use instead of the JVM's
 * ({@code tlsStores}, null for the JVM's trust store, {@code -Djavax.net.ssl.trustStore}, and no
 * client certificate). The password comes from a file ({@code --redis-password-file}), so it stays
 * out of command lines, process lists and Flink's web UI; {@link #toString} masks it.
 */
public record RedisAuth(String user, String password, boolean tls, RedisTlsStores tlsStores)
        implements Serializable {

    /** No authentication, plain TCP: the local stack. */
    public static final RedisAuth NONE = new RedisAuth(null, null, false, null);

    public RedisAuth {
        if (user != null && password == null) {
            throw new IllegalArgumentException(
                    "Redis user " + user + " needs a password (--redis-password-file)");
        }
        if (tlsStores != null && !tls) {
            throw new IllegalArgumentException(
                    "--redis-tls-truststore and --redis-tls-keystore need --redis-tls");
        }
    }

    /** Without TLS stores of its own: the JVM's trust store, no client certificate. */
    public RedisAuth(String user, String password, boolean tls) {
        this(user, password, tls, null);
    }

    /**
     * The settings of the options {@code --redis-user}, {@code --redis-password-file} and {@code
     * --redis-tls}; {@code user} and {@code passwordFile} may be null.
     *
     * @throws IllegalArgumentException if the password file cannot be read or is empty, or a user
     *     comes without a password
     */
    public static RedisAuth of(String user, Path passwordFile, boolean tls) {
        return of(user, passwordFile, tls, null);
    }

    /** As {@link #of(String, Path, boolean)}, with TLS stores of {@link RedisTlsStores#of}. */
    public static RedisAuth of(
            String user, Path passwordFile, boolean tls, RedisTlsStores tlsStores) {
        return new RedisAuth(
                user,
                passwordFile == null ? null : secret(passwordFile, "Redis password"),
                tls,
                tlsStores);
    }

    /** The content of a file holding one secret, {@code what} (e.g. "Redis password"). */
    static String secret(Path file, String what) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the " + what + " file " + file + ": " + e, e);
        }
        // Editors and `echo` end the file with a newline that is not part of the secret.
        String secret = content.strip();
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " file " + file + " is empty");
        }
        return secret;
    }

    @Override
    public String toString() {
        return "RedisAuth[user="
                + (user == null ? "default" : user)
                + ", password="
                + (password == null ? "none" : "****")
                + ", tls="
                + tls
                + (tlsStores == null ? "" : ", " + tlsStores)
                + "]";
    }
}
