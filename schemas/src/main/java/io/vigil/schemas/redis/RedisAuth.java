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
 *
 * <p>{@code password} is the file's content when the job was configured, and travels inside the
 * job; {@code passwordFile} is the file's absolute path (null without one). Connections take {@link
 * #currentPassword()}: the file as the machine opening them reads it now, so a password rotated in
 * a file the TaskManagers share (a mounted secret) reaches the next connection without resubmitting
 * the job.
 */
public record RedisAuth(
        String user, String password, boolean tls, RedisTlsStores tlsStores, String passwordFile)
        implements Serializable {

    /** No authentication, plain TCP: the local stack. */
    public static final RedisAuth NONE = new RedisAuth(null, null, false, null, null);

    public RedisAuth {
        if (user != null && password == null) {
            throw new IllegalArgumentException(
                    "Redis user " + user + " needs a password (--redis-password-file)");
        }
        if (tlsStores != null && !tls) {
            throw new IllegalArgumentException(
                    "--redis-tls-truststore and --redis-tls-keystore need --redis-tls");
        }
        if (passwordFile != null && password == null) {
            throw new IllegalArgumentException("a password file comes with its password");
        }
    }

    /** Without TLS stores of its own (the JVM's trust store, no client certificate) or a file. */
    public RedisAuth(String user, String password, boolean tls) {
        this(user, password, tls, null, null);
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
                tlsStores,
                passwordFile == null ? null : passwordFile.toAbsolutePath().toString());
    }

    /**
     * The password to open a connection with: the password file's content as this machine reads it
     * now, or {@link #password()} when there is no file, it cannot be read here (it was only on the
     * machine that submitted the job) or it is empty (being rewritten).
     */
    public String currentPassword() {
        if (passwordFile == null) {
            return password;
        }
        try {
            return secret(Path.of(passwordFile), "Redis password");
        } catch (IllegalArgumentException unreadableOrEmpty) {
            return password;
        }
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
