package dev.fileshare.server;

import dev.fileshare.security.ServerIdentity;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * How a server runs. Port 0 picks a free port (tests); a discovery port of -1 turns discovery off.
 * A null identity serves plain TCP; the command line gives one unless told {@code --plain}.
 */
public record ServerConfig(
    Path directory,
    InetAddress bindAddress,
    int port,
    int discoveryPort,
    String serviceName,
    ServerLimits limits,
    boolean readOnly,
    ServerIdentity identity,
    AccessPolicy access) {

  public static final int DEFAULT_PORT = 30001;
  public static final int DEFAULT_DISCOVERY_PORT = 30000;
  public static final int DISCOVERY_OFF = -1;

  public ServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if (discoveryPort < DISCOVERY_OFF || discoveryPort > 65535) {
      throw new IllegalArgumentException("discovery port must be 0..65535");
    }
    java.util.Objects.requireNonNull(limits, "limits");
    java.util.Objects.requireNonNull(access, "access");
  }

  /** A server with the default limits. */
  public ServerConfig(
      Path directory, InetAddress bindAddress, int port, int discoveryPort, String serviceName) {
    this(directory, bindAddress, port, discoveryPort, serviceName, ServerLimits.defaults());
  }

  /** A server with these limits, open for uploads. */
  public ServerConfig(
      Path directory,
      InetAddress bindAddress,
      int port,
      int discoveryPort,
      String serviceName,
      ServerLimits limits) {
    this(
        directory,
        bindAddress,
        port,
        discoveryPort,
        serviceName,
        limits,
        false,
        null,
        AccessPolicy.OPEN);
  }

  public ServerConfig withLimits(ServerLimits newLimits) {
    return new ServerConfig(
        directory,
        bindAddress,
        port,
        discoveryPort,
        serviceName,
        newLimits,
        readOnly,
        identity,
        access);
  }

  /** The same server refusing every upload (list and get only). */
  public ServerConfig readOnly(boolean newReadOnly) {
    return new ServerConfig(
        directory,
        bindAddress,
        port,
        discoveryPort,
        serviceName,
        limits,
        newReadOnly,
        identity,
        access);
  }

  /** The same server speaking TLS with this key and certificate (null: plain TCP). */
  public ServerConfig withIdentity(ServerIdentity newIdentity) {
    return new ServerConfig(
        directory,
        bindAddress,
        port,
        discoveryPort,
        serviceName,
        limits,
        readOnly,
        newIdentity,
        access);
  }

  /** The same server asking for a password as {@code newAccess} says. */
  public ServerConfig withAccess(AccessPolicy newAccess) {
    return new ServerConfig(
        directory,
        bindAddress,
        port,
        discoveryPort,
        serviceName,
        limits,
        readOnly,
        identity,
        newAccess);
  }

  public boolean tls() {
    return identity != null;
  }
}
