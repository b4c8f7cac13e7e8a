package dev.fileshare.server;

import dev.fileshare.protocol.Message;
import dev.fileshare.security.Password;

/**
 * Who may do what: everyone everything (no password), or the password first, for every command or
 * only for put ({@code --anonymous-read}).
 *
 * @param password null for an open server
 */
public record AccessPolicy(Password password, boolean anonymousRead) {
  public static final AccessPolicy OPEN = new AccessPolicy(null, false);

  public AccessPolicy {
    if (password == null && anonymousRead) {
      throw new IllegalArgumentException("anonymous read needs a password (for put)");
    }
  }

  public static AccessPolicy password(Password password) {
    return new AccessPolicy(password, false);
  }

  public static AccessPolicy passwordToPut(Password password) {
    return new AccessPolicy(password, true);
  }

  boolean mayRead(boolean authenticated) {
    return password == null || anonymousRead || authenticated;
  }

  boolean mayPut(boolean authenticated) {
    return password == null || authenticated;
  }

  /** The WELCOME access field. */
  int welcomeAccess() {
    if (password == null) {
      return Message.Welcome.ACCESS_OPEN;
    }
    return anonymousRead ? Message.Welcome.ACCESS_PASSWORD_TO_PUT : Message.Welcome.ACCESS_PASSWORD;
  }
}
