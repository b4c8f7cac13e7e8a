package dev.fileshare.server;

import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.FrameCodec;
import dev.fileshare.protocol.Message;
import java.util.List;

/** LIST: the shared directory's files, in as many ENTRIES frames as needed, then END. */
final class ListCommand implements ServerCommand<Message.ListRequest> {
  @Override
  public void start(Session session, Message.ListRequest request) {
    session
        .storageExecutor()
        .execute(
            () -> {
              List<FileInfo> files;
              try {
                files = session.storage().list();
              } catch (FileshareException e) {
                session.onLoop(() -> session.fail(e));
                return;
              }
              session.onLoop(() -> send(session, files));
            });
  }

  private static void send(Session session, List<FileInfo> files) {
    List<Message> frames = FrameCodec.listing(files);
    for (Message frame : frames) {
      session.write(frame);
    }
    session.channel().flush();
    session.complete();
  }
}
