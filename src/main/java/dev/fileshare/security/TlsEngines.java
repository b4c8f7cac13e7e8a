package dev.fileshare.security;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * The one place where the TLS engine is chosen, for the server and the client alike: BoringSSL
 * (netty-tcnative) where its native library loads, the JDK's own otherwise. BoringSSL was measured
 * the faster here, clearly so on the server (docs/ARCHITECTURE.md, "TLS engine"); {@code
 * -Dfileshare.tls=jdk} forces the JDK's engine, for comparison and as a way out should the native
 * library misbehave.
 */
public final class TlsEngines {
  /** TLS 1.3 only: both ends are fileshare, and 1.3 saves a round trip and the weak suites. */
  private static final String[] PROTOCOLS = {"TLSv1.3"};

  private TlsEngines() {}

  public static SslProvider provider() {
    String forced = System.getProperty("fileshare.tls", "").toLowerCase(Locale.ROOT);
    if (forced.equals("jdk")) {
      return SslProvider.JDK;
    }
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** "BoringSSL" or "JDK", for the server's start-up line. */
  public static String providerName() {
    return provider() == SslProvider.OPENSSL ? "BoringSSL" : "JDK";
  }

  public static SslContext server(ServerIdentity identity) {
    try {
      return SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
          .sslProvider(provider())
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new FileshareException(
          ErrorCode.INTERNAL_ERROR, "cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * A client context that accepts any certificate during the handshake: the client checks the
   * certificate's fingerprint against its pins right after, before it sends a single request. A
   * self-signed certificate has no authority to check it against; the pin is the trust.
   */
  public static SslContext client() {
    try {
      return SslContextBuilder.forClient()
          .sslProvider(provider())
          .protocols(PROTOCOLS)
          .trustManager(InsecureTrustManagerFactory.INSTANCE)
          .build();
    } catch (SSLException e) {
      throw new FileshareException(
          ErrorCode.INTERNAL_ERROR, "cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
