package dev.fileshare.storage;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Publishes verified files in groups (group commit, as databases do with their logs): while one
 * group is being flushed, newly verified files queue, and the next round takes all of them. A round
 * flushes its files in parallel, so the disk merges their flushes into a few journal commits, then
 * renames them in arrival order and syncs each directory once. So a file is still never published
 * before its data is on disk, nor acknowledged before its name is, yet a thousand small files cost
 * a few flushes rather than a thousand.
 */
final class GroupCommitter {
  static final GroupCommitter SHARED =
      new GroupCommitter(256, StorageThreads.FLUSHERS, FileSystemSync::sync);

  /**
   * From this many files a round flushes the whole file system at once (one syncfs) rather than
   * each file: cheaper as soon as there are a few, whatever else is being written meanwhile.
   */
  static final int SYNCFS_MIN_FILES = 4;

  private record Request(
      PendingFile file, long modifiedMillis, WriteMode mode, CompletableFuture<Path> done) {}

  private final int maxRound;
  private final Executor runner;
  private final Function<Path, FileSystemSync.Outcome> syncFileSystem;
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private boolean running;

  /**
   * Files created before this serial number ({@link PendingFile#serial}) were open when a syncfs
   * reported a write-back error, which may have been theirs: each is flushed on its own descriptor,
   * which still reports it, whatever later syncfs calls say. Confined to the one thread running
   * rounds at a time (handed over under the queue's lock).
   */
  private long flushAloneBefore;

  /**
   * @param runner runs the rounds, one at a time
   * @param syncFileSystem flushes the file system of a directory ({@link FileSystemSync#sync})
   */
  GroupCommitter(
      int maxRound, Executor runner, Function<Path, FileSystemSync.Outcome> syncFileSystem) {
    this.maxRound = maxRound;
    this.runner = runner;
    this.syncFileSystem = syncFileSystem;
  }

  CompletableFuture<Path> submit(PendingFile file, long modifiedMillis, WriteMode mode) {
    CompletableFuture<Path> done = new CompletableFuture<>();
    boolean start;
    synchronized (queue) {
      queue.add(new Request(file, modifiedMillis, mode, done));
      start = !running;
      running = true;
    }
    if (start) {
      try {
        runner.execute(this::runRounds);
      } catch (RuntimeException | Error e) {
        // No thread to run the rounds (out of native threads): fail what waits, and let the next
        // submit try again, rather than leave every later commit waiting for ever.
        failQueued(e);
      }
    }
    return done;
  }

  private void failQueued(Throwable cause) {
    List<Request> stranded;
    synchronized (queue) {
      stranded = new ArrayList<>(queue);
      queue.clear();
      running = false;
    }
    fail(stranded, cause);
  }

  private static void fail(List<Request> requests, Throwable cause) {
    FileshareException failure =
        new FileshareException(ErrorCode.STORAGE_ERROR, "cannot store: " + cause, cause);
    for (Request request : requests) {
      request.file().abort();
      request.done().completeExceptionally(failure);
    }
  }

  private void runRounds() {
    while (true) {
      List<Request> round = new ArrayList<>();
      synchronized (queue) {
        while (!queue.isEmpty() && round.size() < maxRound) {
          round.add(queue.poll());
        }
        if (round.isEmpty()) {
          running = false;
          return;
        }
      }
      try {
        commit(round);
      } catch (RuntimeException | Error e) {
        // Never leave a waiter hanging, whatever broke.
        fail(round, e);
      }
    }
  }

  private void commit(List<Request> round) {
    List<CompletableFuture<Void>> flushes = flush(round);
    List<Request> published = new ArrayList<>(round.size());
    Set<Path> directories = new LinkedHashSet<>();
    for (int i = 0; i < round.size(); i++) {
      Request request = round.get(i);
      try {
        flushes.get(i).join();
        Path path = request.file().publish(request.modifiedMillis(), request.mode());
        directories.add(path.getParent());
        published.add(request);
      } catch (CompletionException e) {
        // A failed flush has discarded its file already; anything else must not leave it behind.
        request.file().abort();
        request.done().completeExceptionally(e.getCause());
      } catch (FileshareException e) {
        request.done().completeExceptionally(e);
      }
    }
    Map<Path, FileshareException> unsynced = new HashMap<>();
    for (Path directory : directories) {
      try {
        PendingFile.syncDirectory(directory);
      } catch (FileshareException e) {
        unsynced.put(directory, e);
      }
    }
    for (Request request : published) {
      Path target = request.file().target();
      FileshareException failure = unsynced.get(target.getParent());
      if (failure != null) {
        // Renamed but perhaps not durable: said so, rather than acknowledged as safely stored.
        request
            .done()
            .completeExceptionally(PendingFile.notDurable(request.file().name(), failure));
      } else {
        request.done().complete(target);
      }
    }
  }

  /**
   * Starts every file's flush: one syncfs for the lot where a round is big enough and the platform
   * has it, else a flush per file, in parallel.
   */
  private List<CompletableFuture<Void>> flush(List<Request> round) {
    List<CompletableFuture<Void>> flushes = new ArrayList<>(round.size());
    if (round.size() >= SYNCFS_MIN_FILES && syncFileSystems(round)) {
      for (Request request : round) {
        PendingFile file = request.file();
        flushes.add(flushNow(file, file.serial() >= flushAloneBefore));
      }
    } else if (round.size() == 1) {
      flushes.add(flushNow(round.get(0).file(), false));
    } else {
      for (Request request : round) {
        flushes.add(CompletableFuture.runAsync(request.file()::flush, StorageThreads.FLUSHERS));
      }
    }
    return flushes;
  }

  /**
   * Flushes the file system of every directory in the round; false if any could not be, or reported
   * a write-back error (the round's files are then flushed one by one, and so is every other file
   * open at the time, when its turn comes).
   */
  private boolean syncFileSystems(List<Request> round) {
    Set<Path> directories = new LinkedHashSet<>();
    for (Request request : round) {
      directories.add(request.file().target().getParent());
    }
    for (Path directory : directories) {
      FileSystemSync.Outcome outcome = syncFileSystem.apply(directory);
      if (outcome == FileSystemSync.Outcome.FAILED) {
        flushAloneBefore = PendingFile.created();
      }
      if (outcome != FileSystemSync.Outcome.SYNCED) {
        return false;
      }
    }
    return true;
  }

  private static CompletableFuture<Void> flushNow(PendingFile file, boolean fileSystemSynced) {
    try {
      file.flush(fileSystemSynced);
      return CompletableFuture.completedFuture(null);
    } catch (FileshareException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
