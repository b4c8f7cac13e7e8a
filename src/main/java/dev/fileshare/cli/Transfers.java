package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferResult;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.file.Path;
import java.util.ArrayList;
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
    if (!client.isConnected()) {
      output.error("get: not attempted, the connection was lost");
      return false;
    }
    List<String> unmatched = new ArrayList<>();
    List<String> expanded =
        RemotePatterns.expand(
            names,
            client::list,
            e -> {
              output.error(e);
              unmatched.add(e.getMessage());
            });
    List<TransferResult> done = client.getAll(expanded, destination, mode, output.progress());
    return unmatched.isEmpty() && done.size() == expanded.size();
  }

  /** Uploads files given as paths (one-shot) or as names in the client's directory (console). */
  boolean putAll(FileshareClient client, List<Path> files) {
    if (!client.isConnected()) {
      output.error("put: not attempted, the connection was lost");
      return false;
    }
    return client.putAll(files, output.progress()).size() == files.size();
  }
}
