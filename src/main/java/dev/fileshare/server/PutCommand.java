package dev.fileshare.server;

import dev.fileshare.protocol.Message;

/**
 * PUT: the announced bytes go to a hidden temporary file, are verified against the client's digest,
 * then published by an atomic rename (see {@link Upload}).
 */
final class PutCommand implements ServerCommand<Message.PutRequest> {
  @Override
  public void start(Session session, Message.PutRequest request) {
    session.receiveData(new Upload(session, request));
  }
}
