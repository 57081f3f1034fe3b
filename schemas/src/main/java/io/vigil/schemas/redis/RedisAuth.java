package io.vigil.schemas.redis;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a job authenticates to Redis: an ACL user (or none: the {@code default} user), a password (or
 * none) and whether the connection uses TLS (trusting the JVM's trust store, {@code
 * -Djavax.net.ssl.trustStore}). The password comes from a file ({@code --redis-password-file}), so
 * it stays out of command lines, process lists and Flink's web UI; {@link #toString} masks it.
 */
public record RedisAuth(String user, String password, boolean tls) implements Serializable {

    /** No authentication, plain TCP: the local stack. */
    public static final RedisAuth NONE = new RedisAuth(null, null, false);

    public RedisAuth {
        if (user != null && password == null) {
            throw new IllegalArgumentException(
                    "Redis user " + user + " needs a password (--redis-password-file)");
        }
    }

    /**
     * The settings of the options {@code --redis-user}, {@code --redis-password-file} and {@code
     * --redis-tls}; {@code user} and {@code passwordFile} may be null.
     *
     * @throws IllegalArgumentException if the password file cannot be read or is empty, or a user
     *     comes without a password
     */
    public static RedisAuth of(String user, Path passwordFile, boolean tls) {
        return new RedisAuth(user, passwordFile == null ? null : password(passwordFile), tls);
    }

    private static String password(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the Redis password file " + file + ": " + e, e);
        }
        // Editors and `echo` end the file with a newline that is not part of the password.
        String password = content.strip();
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the Redis password file " + file + " is empty");
        }
        return password;
    }

    @Override
    public String toString() {
        return "RedisAuth[user="
                + (user == null ? "default" : user)
                + ", password="
                + (password == null ? "none" : "****")
                + ", tls="
                + tls
                + "]";
    }
}
