package dev.fileshare.client;

/** Where the client gets a server's password when the server asks for one. */
@FunctionalInterface
public interface PasswordSource {
  PasswordSource NONE = peer -> null;

  /**
   * The password for {@code peer} ("host:port"), or null if there is none to give: no variable, no
   * file, no terminal to ask on.
   */
  String password(String peer);

  /** The server refused the password given for {@code peer}: it must not be given again. */
  default void rejected(String peer) {}
}
