package dev.fileshare.client;

import dev.fileshare.common.FileshareException;
import java.util.function.Consumer;

/**
 * Hears how each file of a batch goes. Calls come in request order on the calling thread; a file's
 * {@link #started}, {@link #progressed} and {@link #dataDone} calls never interleave with another
 * file's, and {@link #finished} and {@link #failed(FileshareException)} come only between them, so
 * a progress display never has two bars at once.
 */
public interface BatchListener extends TransferListener {
  BatchListener NONE = new BatchListener() {};

  /** One file failed (the others go on unless the connection is lost). */
  default void failed(FileshareException error) {}

  /** Adapts a listener of single transfers; each file's failure also goes to {@code onFailure}. */
  static BatchListener of(TransferListener listener, Consumer<FileshareException> onFailure) {
    return new BatchListener() {
      @Override
      public void started(String name, long size) {
        listener.started(name, size);
      }

      @Override
      public void progressed(long bytesDone) {
        listener.progressed(bytesDone);
      }

      @Override
      public void dataDone() {
        listener.dataDone();
      }

      @Override
      public void finished(TransferResult result) {
        listener.finished(result);
      }

      @Override
      public void failed() {
        listener.failed();
      }

      @Override
      public void failed(FileshareException error) {
        listener.failed();
        onFailure.accept(error);
      }
    };
  }
}
