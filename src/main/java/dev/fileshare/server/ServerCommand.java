package dev.fileshare.server;

import dev.fileshare.protocol.Message;

/** One protocol verb on the server side. Adding a verb is adding one of these. */
interface ServerCommand<R extends Message> {
  void start(Session session, R request);
}
