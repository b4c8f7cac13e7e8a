package dev.fileshare.client;

/** Follows one transfer, for progress bars. Called on the transferring thread. */
public interface TransferListener {
  TransferListener NONE = new TransferListener() {};

  default void started(String name, long size) {}

  default void progressed(long bytesDone) {}

  /**
   * All the file's bytes have crossed; {@link #finished} follows once the receiver has verified and
   * stored them (later, when files are committed in groups).
   */
  default void dataDone() {}

  default void finished(TransferResult result) {}

  default void failed() {}
}
