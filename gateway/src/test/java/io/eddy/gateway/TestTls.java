package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** A key store for HTTPS tests, and the trust clients need for it. */
final class TestTls {

    static final String PASSWORD = "changeit";

    private TestTls() {}

    /** A self-signed certificate for 127.0.0.1 and its key, made by the JDK's keytool, in {@code dir}/eddy.p12 (PKCS12). */
    static Path keyStore(Path dir) throws Exception {
        Path store = dir.resolve("eddy.p12");
        keytool("-genkeypair", "-alias", "eddy", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        return store;
    }

    static void keytool(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
    }

    /** A server's TLS context with {@code store}'s key and certificate, as {@code eddy.http.tls} builds it. */
    static SSLContext serverContext(Path store) {
        return HttpServer.tls(com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of(
                "key-store", store.toString(), "key-store-password", PASSWORD, "key-store-type", "PKCS12"))).orElseThrow();
    }

    /** Trust managers that trust the certificates of {@code store}. */
    static TrustManager[] trusting(Path store) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        managers.init(trust);
        return managers.getTrustManagers();
    }

    /** A client's TLS context that trusts {@code store}'s certificates. */
    static SSLContext clientContext(Path store) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trusting(store), null);
        return context;
    }
}
