package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferResult;
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
    if (!client.isConnected()) {
      output.error("get: not attempted, the connection was lost");
      return false;
    }
    boolean[] allMatched = {true};
    List<String> expanded =
        RemotePatterns.expand(
            names,
            client::list,
            e -> {
              output.error(e);
              allMatched[0] = false;
            });
    List<TransferResult> done = client.getAll(expanded, destination, mode, output.progress());
    output.out().flush();
    return allMatched[0] && done.size() == expanded.size();
  }

  /** Uploads files given as paths (one-shot) or as names in the client's directory (console). */
  boolean putAll(FileshareClient client, List<Path> files) {
    if (!client.isConnected()) {
      output.error("put: not attempted, the connection was lost");
      return false;
    }
    int done = client.putAll(files, output.progress()).size();
    output.out().flush();
    return done == files.size();
  }
}
