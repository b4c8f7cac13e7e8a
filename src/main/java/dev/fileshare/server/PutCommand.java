package dev.fileshare.server;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.FileNames;

/**
 * PUT: the announced bytes go to a hidden temporary file, are verified against the client's digest,
 * then published by an atomic rename (see {@link Upload}).
 */
final class PutCommand implements ServerCommand<Message.PutRequest> {
  @Override
  public void start(Session session, Message.PutRequest request) {
    // A refused upload still reads its data (the answer follows the DIGEST frame), so the
    // connection stays in step and usable for the next request.
    FileshareException refusal = null;
    if (session.readOnly()) {
      refusal =
          new FileshareException(
              ErrorCode.FORBIDDEN,
              "cannot put " + FileNames.forDisplay(request.name()) + ": this share is read-only");
    } else if (!session.mayPut()) {
      refusal =
          new FileshareException(
              ErrorCode.AUTH_REQUIRED,
              "cannot put "
                  + FileNames.forDisplay(request.name())
                  + ": this server needs the password to put");
    }
    session.receiveData(new Upload(session, request, refusal));
  }
}
