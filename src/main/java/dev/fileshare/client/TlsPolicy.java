package dev.fileshare.client;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.security.Fingerprints;
import dev.fileshare.security.KnownServers;
import dev.fileshare.security.TlsEngines;
import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a client trusts servers: trust on first use, like SSH's known_hosts with accept-new. The
 * first certificate a server presents is pinned by its SHA-256 fingerprint, keyed by host and port;
 * a later, different one is refused before a single request is sent.
 */
public final class TlsPolicy {
  private final KnownServers knownServers;
  private final Consumer<String> notices;
  private volatile SslContext context;

  /**
   * @param notices told, in a sentence, when a server is pinned on first contact
   */
  public TlsPolicy(KnownServers knownServers, Consumer<String> notices) {
    this.knownServers = knownServers;
    this.notices = notices;
  }

  public KnownServers knownServers() {
    return knownServers;
  }

  SslContext context() {
    SslContext c = context;
    if (c == null) {
      synchronized (this) {
        c = context;
        if (c == null) {
          c = TlsEngines.client();
          context = c;
        }
      }
    }
    return c;
  }

  /** Accepts a pinned or a first-seen certificate; refuses a changed one. */
  void check(String host, int port, X509Certificate certificate) {
    String seen = Fingerprints.of(certificate);
    String key = KnownServers.key(host, port);
    Optional<String> pinned = knownServers.lookup(host, port);
    if (pinned.isEmpty()) {
      // Another client may have pinned this server a moment ago: its pin is the one to check.
      pinned = knownServers.pinIfAbsent(host, port, seen);
      if (pinned.isEmpty()) {
        notices.accept(
            "first contact with "
                + key
                + ": its certificate's SHA-256 fingerprint is "
                + seen
                + "; pinned in "
                + knownServers.file()
                + ". Check it against the one the server prints when it starts.");
        return;
      }
    }
    if (!pinned.get().equals(seen)) {
      throw new FileshareException(
          ErrorCode.FINGERPRINT_CHANGED,
          "server "
              + key
              + " presented a different certificate than before: pinned fingerprint "
              + pinned.get()
              + ", presented "
              + seen
              + ". It may have been reinstalled, or someone may be intercepting the connection;"
              + " nothing was sent. If you trust the new one (check it on the server), run:"
              + " fileshare trust "
              + key
              + " "
              + seen);
    }
  }
}
