package dev.servedeck.console.backend.embedded;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The console's trust in its own embedded server: exactly the certificate that server presents now (it follows
 * a reload), nothing else. The console need not know which CA signed it, nor may a certificate naming the
 * machine (and not 127.0.0.1, where the console connects) fail a host name check: being the very certificate
 * this process loaded is a stronger proof than either. An extended trust manager, so the JDK adds no host name
 * check of its own.
 */
final class EmbeddedServerTrust extends X509ExtendedTrustManager {

    private final Supplier<X509Certificate> served;

    EmbeddedServerTrust(Supplier<X509Certificate> served) {
        this.served = served;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0 || !chain[0].equals(served.get())) {
            throw new CertificateException("Not the certificate the console's embedded server serves");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("The console is no TLS server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
