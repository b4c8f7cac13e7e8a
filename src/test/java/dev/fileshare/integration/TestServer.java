package dev.fileshare.integration;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.server.FileshareServer;
import dev.fileshare.server.ServerConfig;
import java.net.InetAddress;
import java.nio.file.Path;

/** A real server on free loopback ports, for tests. */
final class TestServer implements AutoCloseable {
  static final String NAME = "fileshare test server";

  final FileshareServer server;
  final Path directory;

  private TestServer(FileshareServer server, Path directory) {
    this.server = server;
    this.directory = directory;
  }

  static TestServer start(Path directory) {
    return start(directory, false);
  }

  /** A server on a free loopback port, discovery off: tests add limits, access or TLS to it. */
  static ServerConfig config(Path directory, String name) {
    return new ServerConfig(
        directory, InetAddress.getLoopbackAddress(), 0, ServerConfig.DISCOVERY_OFF, name);
  }

  static TestServer start(Path directory, boolean discovery) {
    ServerConfig config =
        new ServerConfig(
            directory,
            InetAddress.getLoopbackAddress(),
            0,
            discovery ? 0 : ServerConfig.DISCOVERY_OFF,
            NAME);
    return new TestServer(FileshareServer.start(config), directory);
  }

  int port() {
    return server.port();
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  FileshareClient connect() {
    return FileshareClient.connect("127.0.0.1", port());
  }

  @Override
  public void close() {
    server.close();
  }
}
