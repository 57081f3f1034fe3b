package io.vigil.schemas.redis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;

/**
 * The trust store and key store of a TLS connection to Redis, when the JVM's own do not fit: a
 * server certificate signed by a private CA ({@code --redis-tls-truststore}), a server that
 * requires client certificates ({@code --redis-tls-keystore}, Redis's default for TLS). Both are
 * PKCS12 or JKS files with the password of {@code --redis-tls-password-file}.
 *
 * <p>The files are read where the job's {@code main} runs and their bytes travel inside the job, as
 * the Redis password does, so TaskManagers need no copy of them; {@link #toString} shows neither.
 */
public final class RedisTlsStores implements Serializable {

    private static final long serialVersionUID = 1L;

    private final byte[] trustStore;
    private final byte[] keyStore;
    private final String password;

    private RedisTlsStores(byte[] trustStore, byte[] keyStore, String password) {
        this.trustStore = trustStore;
        this.keyStore = keyStore;
        this.password = password;
    }

    /**
     * The stores of the options; null when no store is given. Each store is opened here, so a wrong
     * password, a file of another format or a key store without a key fails before the job starts.
     *
     * @throws IllegalArgumentException naming the option whose file is wrong
     */
    public static RedisTlsStores of(Path trustStoreFile, Path keyStoreFile, Path passwordFile) {
        if (trustStoreFile == null && keyStoreFile == null) {
            if (passwordFile != null) {
                throw new IllegalArgumentException(
                        "--redis-tls-password-file needs --redis-tls-truststore or"
                                + " --redis-tls-keystore");
            }
            return null;
        }
        String password =
                passwordFile == null
                        ? null
                        : RedisAuth.secret(passwordFile, "Redis TLS store password");
        byte[] trustStore = read(trustStoreFile, "--redis-tls-truststore");
        byte[] keyStore = read(keyStoreFile, "--redis-tls-keystore");
        RedisTlsStores stores = new RedisTlsStores(trustStore, keyStore, password);
        stores.check(trustStoreFile, keyStoreFile);
        return stores;
    }

    /** The trust store's bytes, or null for the JVM's trust store. */
    public InputStream trustStore() {
        return trustStore == null ? null : new ByteArrayInputStream(trustStore);
    }

    /** The key store's bytes, or null for no client certificate. */
    public InputStream keyStore() {
        return keyStore == null ? null : new ByteArrayInputStream(keyStore);
    }

    public boolean hasTrustStore() {
        return trustStore != null;
    }

    public boolean hasKeyStore() {
        return keyStore != null;
    }

    /** The stores' password, or null. */
    public char[] password() {
        return password == null ? null : password.toCharArray();
    }

    private void check(Path trustStoreFile, Path keyStoreFile) {
        if (hasTrustStore()) {
            KeyStore store = open(trustStore(), "--redis-tls-truststore", trustStoreFile);
            try {
                if (Collections.list(store.aliases()).stream()
                        .noneMatch(alias -> isCertificate(store, alias))) {
                    throw new IllegalArgumentException(
                            "--redis-tls-truststore " + trustStoreFile + " holds no certificate");
                }
            } catch (GeneralSecurityException e) {
                throw unreadable("--redis-tls-truststore", trustStoreFile, e);
            }
        }
        if (hasKeyStore()) {
            KeyStore store = open(keyStore(), "--redis-tls-keystore", keyStoreFile);
            try {
                // Unlocks the keys too: the stores share one password, as PKCS12 files do.
                KeyManagerFactory keys =
                        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password());
                if (Collections.list(store.aliases()).stream()
                        .noneMatch(alias -> isKey(store, alias))) {
                    throw new IllegalArgumentException(
                            "--redis-tls-keystore " + keyStoreFile + " holds no private key");
                }
            } catch (GeneralSecurityException e) {
                throw unreadable("--redis-tls-keystore", keyStoreFile, e);
            }
        }
    }

    private KeyStore open(InputStream bytes, String option, Path file) {
        try {
            // The PKCS12 key store type of the JDK reads JKS files too.
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(bytes, password());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw unreadable(option, file, e);
        }
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.getCertificate(alias) != null;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static IllegalArgumentException unreadable(String option, Path file, Exception e) {
        return new IllegalArgumentException(
                "cannot open "
                        + option
                        + " "
                        + file
                        + " as a PKCS12 or JKS store with the password of"
                        + " --redis-tls-password-file: "
                        + e.getMessage(),
                e);
    }

    private static byte[] read(Path file, String option) {
        if (file == null) {
            return null;
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "truststore="
                + (hasTrustStore() ? "given" : "jvm")
                + ", keystore="
                + (hasKeyStore() ? "given" : "none");
    }
}
