package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.common.FileshareException;
import dev.fileshare.storage.ReadableFile;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.file.Path;
import java.util.List;

/**
 * Moves several files over one connection and reports each, for the one-shot commands and the
 * console alike. A recoverable failure (a missing file) is reported and the rest go on; a lost
 * connection ends the batch.
 */
final class Transfers {
  private final Output output;

  Transfers(Output output) {
    this.output = output;
  }

  boolean getAll(
      FileshareClient client, List<String> names, SharedDirectory destination, WriteMode mode) {
    boolean allOk = true;
    for (String name : names) {
      if (!client.isConnected()) {
        output.error("get " + name + ": not attempted, the connection was lost");
        allOk = false;
        continue;
      }
      try {
        client.get(name, destination, mode, output.progress());
      } catch (FileshareException e) {
        output.error(e);
        allOk = false;
      }
    }
    return allOk;
  }

  /** Uploads files given as paths (one-shot) or as names in the client's directory (console). */
  boolean putAll(FileshareClient client, List<Path> files) {
    boolean allOk = true;
    for (Path path : files) {
      if (!client.isConnected()) {
        output.error("put " + path + ": not attempted, the connection was lost");
        allOk = false;
        continue;
      }
      try (ReadableFile file = ReadableFile.open(path)) {
        client.put(file, output.progress());
      } catch (FileshareException e) {
        output.error(e);
        allOk = false;
      }
    }
    return allOk;
  }
}
