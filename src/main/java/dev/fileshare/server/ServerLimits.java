package dev.fileshare.server;

import java.time.Duration;

/**
 * What a server grants its peers before it cuts them off: it is reachable by everyone on the LAN,
 * so neither an idle, a stalled nor a greedy client may hold its resources for ever.
 *
 * @param requestTimeout how long a peer may leave a request unfinished (HELLO not sent, half a
 *     frame, an upload's data stalled) or leave a reply unread; also the grain of the idle check
 * @param idleTimeout how long a connection may sit between requests
 * @param maxConnections connections at once, all peers together
 * @param maxConnectionsPerAddress connections at once from one address
 * @param uploadBufferBytes upload data held in memory while it waits for the disk, all connections
 *     together; beyond it, uploading connections pause reading (TCP backpressure)
 */
public record ServerLimits(
    Duration requestTimeout,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerAddress,
    long uploadBufferBytes) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 512;
  public static final long DEFAULT_UPLOAD_BUFFER_BYTES = UploadBudget.DEFAULT_HIGH_BYTES;

  public ServerLimits {
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("the request timeout must be positive");
    }
    if (idleTimeout.compareTo(requestTimeout) < 0) {
      throw new IllegalArgumentException("the idle timeout must be at least the request timeout");
    }
    if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException("connection limits must be at least 1");
    }
    if (uploadBufferBytes < 1) {
      throw new IllegalArgumentException("the upload buffer must be at least 1 byte");
    }
  }

  /** Limits with the default upload buffer. */
  public ServerLimits(
      Duration requestTimeout,
      Duration idleTimeout,
      int maxConnections,
      int maxConnectionsPerAddress) {
    this(
        requestTimeout,
        idleTimeout,
        maxConnections,
        maxConnectionsPerAddress,
        DEFAULT_UPLOAD_BUFFER_BYTES);
  }

  public ServerLimits withUploadBuffer(long bytes) {
    return new ServerLimits(
        requestTimeout, idleTimeout, maxConnections, maxConnectionsPerAddress, bytes);
  }

  public static ServerLimits defaults() {
    return new ServerLimits(
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
        DEFAULT_UPLOAD_BUFFER_BYTES);
  }
}
