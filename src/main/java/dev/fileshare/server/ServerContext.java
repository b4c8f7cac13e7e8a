package dev.fileshare.server;

import dev.fileshare.storage.SharedDirectory;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutorGroup;

/** What every connection of one server shares. */
record ServerContext(
    SharedDirectory storage,
    String serviceName,
    EventExecutorGroup storageExecutors,
    ServerLimits limits,
    ConnectionLimiter limiter,
    boolean readOnly,
    UploadBudget uploadBudget,
    SslContext tls,
    AccessPolicy access,
    AuthThrottle authThrottle) {

  /** Whether connections speak TLS, which rules out zero-copy file regions. */
  boolean encrypted() {
    return tls != null;
  }
}
