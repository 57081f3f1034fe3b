package io.vigil.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key pairs for TLS tests, generated once per JVM with the JDK's {@code keytool}: a server
 * certificate for {@code localhost} and {@code 127.0.0.1}, and a client certificate (mutual TLS).
 * Both are self-signed; each side's trust store holds the other side's certificate, so trust works
 * as with a private CA. Every store is PKCS12 with the password {@link #PASSWORD}; the server's key
 * and both certificates are also written as PEM files, the form {@code redis-server} reads.
 */
public final class TestCertificates {

    public static final String PASSWORD = "vigil-test-store";

    private static TestCertificates instance;

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** The JVM's certificates, generated on first use into a temporary directory. */
    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                instance = generate(Files.createTempDirectory("vigil-tls-"));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate test certificates", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating certificates", e);
            }
        }
        return instance;
    }

    /** The server's key and certificate (PKCS12). */
    public Path serverKeyStore() {
        return dir.resolve("server.p12");
    }

    /** The server's certificate alone (PKCS12): what a client trusts. */
    public Path clientTrustStore() {
        return dir.resolve("client-truststore.p12");
    }

    /** The client's key and certificate (PKCS12), for servers that require client certificates. */
    public Path clientKeyStore() {
        return dir.resolve("client.p12");
    }

    /**
     * The client's certificate (PKCS12), what a server that checks clients trusts, and the server's
     * own.
     */
    public Path serverTrustStore() {
        return dir.resolve("server-truststore.p12");
    }

    public Path serverCertificatePem() {
        return dir.resolve("server-cert.pem");
    }

    /** The server's private key, PKCS#8 PEM. */
    public Path serverKeyPem() {
        return dir.resolve("server-key.pem");
    }

    /**
     * PEM of the certificates a server that checks clients trusts: the client's, and the server's
     * own (cluster nodes are clients of each other), as {@link #serverTrustStore()}.
     */
    public Path serverTrustPem() {
        return dir.resolve("server-trust.pem");
    }

    /** A TLS context that presents the client certificate and trusts the server's. */
    public SSLContext clientContext() {
        try {
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(clientKeyStore()), PASSWORD.toCharArray());
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(clientTrustStore()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the client's TLS context", e);
        }
    }

    private static TestCertificates generate(Path dir)
            throws IOException, GeneralSecurityException, InterruptedException {
        TestCertificates certificates = new TestCertificates(dir);
        keytool(
                certificates.serverKeyStore(),
                "server",
                "CN=localhost",
                "SAN=dns:localhost,ip:127.0.0.1");
        keytool(certificates.clientKeyStore(), "client", "CN=vigil-test-client", null);

        KeyStore server = load(certificates.serverKeyStore());
        KeyStore client = load(certificates.clientKeyStore());
        Certificate serverCertificate = server.getCertificate("server");
        Certificate clientCertificate = client.getCertificate("client");
        storeTrusting(certificates.clientTrustStore(), Map.of("server", serverCertificate));
        // The server's own certificate too: a broker is also a client of its own listener.
        storeTrusting(
                certificates.serverTrustStore(),
                Map.of("client", clientCertificate, "server", serverCertificate));
        writePem(
                certificates.serverCertificatePem(), "CERTIFICATE", serverCertificate.getEncoded());
        Files.writeString(
                certificates.serverTrustPem(),
                pem("CERTIFICATE", clientCertificate.getEncoded())
                        + pem("CERTIFICATE", serverCertificate.getEncoded()),
                StandardCharsets.US_ASCII);
        writePem(
                certificates.serverKeyPem(),
                "PRIVATE KEY",
                server.getKey("server", PASSWORD.toCharArray()).getEncoded());
        return certificates;
    }

    private static void keytool(Path store, String alias, String name, String extension)
            throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                keytool.toString(),
                                "-genkeypair",
                                "-alias",
                                alias,
                                "-keyalg",
                                "EC",
                                "-groupname",
                                "secp256r1",
                                "-dname",
                                name,
                                "-validity",
                                "7",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                PASSWORD,
                                "-keypass",
                                PASSWORD));
        if (extension != null) {
            command.addAll(List.of("-ext", extension));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed for " + store + ": " + output);
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void storeTrusting(Path file, Map<String, Certificate> certificatesByAlias)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (Map.Entry<String, Certificate> entry : certificatesByAlias.entrySet()) {
            store.setCertificateEntry(entry.getKey(), entry.getValue());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        Files.writeString(file, pem(type, der), StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        String body =
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
