package dev.fileshare.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A shared file opened for reading. Size and modification time are taken when it is opened, so a
 * transfer announces the length it will actually send even if the file grows meanwhile.
 */
public final class ReadableFile implements AutoCloseable {
  private final String name;
  private final FileChannel channel;
  private final long size;
  private final long modifiedMillis;

  ReadableFile(String name, FileChannel channel, long size, long modifiedMillis) {
    this.name = name;
    this.channel = channel;
    this.size = size;
    this.modifiedMillis = modifiedMillis;
  }

  public String name() {
    return name;
  }

  public FileChannel channel() {
    return channel;
  }

  public long size() {
    return size;
  }

  public long modifiedMillis() {
    return modifiedMillis;
  }

  /** Closes the channel. Nothing was written, so a failing close loses nothing and is ignored. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // A read-only descriptor has no pending data to lose.
    }
  }
}
