package io.eddy.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context of the HTTPS calls a node makes (other regions' nodes, trigger endpoints):
 * {@code eddy.client-tls}'s trust store, whose certificates are trusted beside the JVM's own
 * (so that a peer with a self-signed or private-CA certificate can be named without losing the
 * public CAs a trigger endpoint may use).
 */
final class ClientTls {

    private ClientTls() {}

    /**
     * The context trusting the JVM's CAs and {@code eddy.client-tls.trust-store}'s certificates;
     * empty when no trust store is set (the JVM's default context is used then).
     *
     * @throws IllegalArgumentException when the trust store cannot be read or holds no certificate
     */
    static Optional<SSLContext> of(com.typesafe.config.Config tls) {
        String path = tls.getString("trust-store");
        if (path.isEmpty()) return Optional.empty();
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore given = KeyStore.getInstance(tls.getString("trust-store-type"));
            char[] password = tls.getString("trust-store-password").toCharArray();
            given.load(in, password.length == 0 ? null : password);
            KeyStore merged = KeyStore.getInstance(KeyStore.getDefaultType());
            merged.load(null, null);
            int count = 0;
            for (String alias : Collections.list(given.aliases())) {
                // A key entry's certificate chain is trusted too (its own and its CA's): a node's key
                // store can then serve as its peers' trust store, whether they share its certificate or its CA.
                Certificate[] chain = given.getCertificateChain(alias);
                Certificate[] certificates = chain != null ? chain : new Certificate[] {given.getCertificate(alias)};
                for (int i = 0; i < certificates.length; i++) {
                    if (certificates[i] == null) continue;
                    merged.setCertificateEntry("given-" + alias + "-" + i, certificates[i]);
                    count++;
                }
            }
            if (count == 0) throw new GeneralSecurityException("it holds no certificate");
            int jvm = 0;
            for (X509Certificate authority : jvmTrust().getAcceptedIssuers()) merged.setCertificateEntry("jvm-" + jvm++, authority);
            TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init(merged);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers.getTrustManagers(), null);
            return Optional.of(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("eddy.client-tls.trust-store " + path + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The JVM's default trust (its CA certificates, or javax.net.ssl.trustStore's). */
    private static X509TrustManager jvmTrust() throws GeneralSecurityException {
        TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        managers.init((KeyStore) null);
        for (TrustManager manager : managers.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) return x509;
        }
        throw new GeneralSecurityException("the JVM has no X.509 trust manager");
    }
}
