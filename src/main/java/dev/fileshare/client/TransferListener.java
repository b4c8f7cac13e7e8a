package dev.fileshare.client;

/** Follows one transfer, for progress bars. Called on the transferring thread. */
public interface TransferListener {
  TransferListener NONE = new TransferListener() {};

  default void started(String name, long size) {}

  default void progressed(long bytesDone) {}

  default void finished(TransferResult result) {}

  default void failed() {}
}
