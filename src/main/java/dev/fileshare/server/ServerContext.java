package dev.fileshare.server;

import dev.fileshare.storage.SharedDirectory;
import io.netty.util.concurrent.EventExecutorGroup;

/** What every connection of one server shares. */
record ServerContext(
    SharedDirectory storage,
    String serviceName,
    EventExecutorGroup storageExecutors,
    ServerLimits limits,
    ConnectionLimiter limiter,
    boolean readOnly,
    UploadBudget uploadBudget) {}
