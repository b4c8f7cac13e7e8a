package dev.fileshare.storage;

import com.sun.jna.Platform;
import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A file being received. The data goes to a hidden temporary file next to the target, and only a
 * {@link #commit} whose digest matches makes it visible under its name, in one atomic rename. So
 * nobody ever sees a half-written or corrupt file, and a crash leaves only a temporary file that
 * the next {@link SharedDirectory#open} removes.
 *
 * <p>One thread at a time writes and commits it (receiving is sequential by nature). {@link
 * #abort()} alone may come from any thread: a server that shuts down discards every unfinished
 * file, whatever its connection is doing.
 */
public final class PendingFile implements AutoCloseable {
  /** Below this a hand-off to another thread costs more than hashing in place. */
  static final int PARALLEL_HASH_MIN_BYTES = 128 << 10;

  /**
   * From this size a received file's whole blocks are worth writing past the page cache (see {@link
   * #bypassPageCache}): it saves a copy and a write-back per byte, and such a file is not about to
   * be read back from the cache anyway.
   */
  public static final long DIRECT_MIN_BYTES = 32L << 20;

  /** Written data is flushed in the background every this many bytes. */
  static final long FLUSH_EVERY_BYTES = 32L << 20;

  private enum State {
    OPEN,
    /** Fully written and its digest checked; waiting to be flushed and published. */
    VERIFIED,
    COMMITTED,
    ABORTED
  }

  /** How many have been created in this process; gives each its {@link #serial}. */
  private static final AtomicLong CREATED = new AtomicLong();

  private final long serial = CREATED.getAndIncrement();
  private final String name;
  private final Path target;
  private final Path temp;
  private final FileChannel channel;
  private final DigestAlgorithm.Hasher hasher;
  private long bytesWritten;
  private byte[] digest;
  private volatile State state = State.OPEN;
  private final Consumer<PendingFile> onFinished;

  /**
   * This file's hold on its file system's syncfs descriptor, from creation (before any write) to
   * commit or abort: see {@link FileSystemSync}. Null where there is none.
   */
  private final FileSystemSync.Watched fileSystem;

  /** Written and not yet handed to a flush; writer-confined. */
  private long unflushedBytes;

  private CompletableFuture<Void> flushing;

  /** Where whole blocks are written past the page cache, once asked for; volatile for abort. */
  private volatile DirectWriter direct;

  /**
   * The aligned buffer that unaligned data is gathered in for direct writes, if {@link
   * #bypassPageCacheStaged} got one; writer-confined, but an abort gives its permit back.
   */
  private volatile StagingBuffers.Lease staging;

  /**
   * The second staging buffer: while one is being written to the disk, the next data is copied into
   * the other. Swapped with {@link #staging} each time that one fills.
   */
  private volatile StagingBuffers.Lease spare;

  /**
   * The last staging buffer handed to a disk thread; its value says whether writes still go
   * directly. Writes run one after another, in file order; writer-confined.
   */
  private CompletableFuture<Boolean> stagedWrite = CompletableFuture.completedFuture(true);

  /**
   * The file offset of the staging buffer's first byte: everything before it is on disk, or (at
   * most one buffer) being written there by a disk thread.
   */
  private long stagedFrom;

  /** The first background flush that failed, if any; writer-confined. */
  private CompletableFuture<Void> flushFailure;

  PendingFile(
      String name,
      Path target,
      Path temp,
      FileChannel channel,
      DigestAlgorithm digestAlgorithm,
      Consumer<PendingFile> onFinished) {
    this.name = name;
    this.hasher = digestAlgorithm.newHasher();
    this.target = target;
    this.temp = temp;
    this.channel = channel;
    this.onFinished = onFinished;
    this.fileSystem = FileSystemSync.acquire(target.getParent());
  }

  public String name() {
    return name;
  }

  /** The order of creation among this process's files: later files have larger serials. */
  long serial() {
    return serial;
  }

  /** The serial the next file will get. */
  static long created() {
    return CREATED.get();
  }

  /** Where the file appears once committed. */
  public Path target() {
    return target;
  }

  public long bytesWritten() {
    return bytesWritten;
  }

  /**
   * Writes the file's whole blocks straight to the disk from now on (see {@link DirectWriter}), for
   * a large file: no copy into the page cache and no write-back to wait for. Only before the first
   * write, and only from buffers made by {@link #alignedBuffer} (direct, 4 KiB-aligned); other
   * writes, and the last partial block, still go through the page cache, so the file is the same
   * either way.
   *
   * @return whether direct writes are on: false where the platform or file system has none
   */
  public boolean bypassPageCache() {
    return bypassPageCache(null);
  }

  /**
   * As {@link #bypassPageCache()}, through {@code writer} if given (a test's). Under the lock, so
   * that an abort either comes first (nothing is opened) or sees what was.
   */
  synchronized boolean bypassPageCache(DirectWriter writer) {
    if (state != State.OPEN) {
      return false; // the next write reports why
    }
    if (direct == null && bytesWritten == 0) {
      direct = writer != null ? writer : DirectWriter.open(temp);
    }
    return direct != null;
  }

  /**
   * As {@link #bypassPageCache}, for a writer whose buffers come in any size and at any address
   * (the server's network buffers): the data is copied into aligned 1 MiB staging buffers, and each
   * full one goes to the disk directly, on a disk thread, while the next fills the other. That copy
   * is cheaper than the page cache's (no pages to allocate, no write-back). Staging buffers are few
   * (see {@link StagingBuffers}); without one, or without direct I/O, the page cache takes the data
   * as usual.
   *
   * @return whether writes are staged and direct
   */
  public boolean bypassPageCacheStaged() {
    return bypassPageCacheStaged(null);
  }

  /** As {@link #bypassPageCacheStaged()}, through {@code writer} if given (a test's). */
  synchronized boolean bypassPageCacheStaged(DirectWriter writer) {
    if (bytesWritten != 0) {
      return staging != null; // staging must start at the file's first byte
    }
    if (!bypassPageCache(writer)) {
      return false;
    }
    if (staging == null) {
      StagingBuffers.Lease first = StagingBuffers.take();
      StagingBuffers.Lease second = first == null ? null : StagingBuffers.take();
      if (second == null) {
        if (first != null) {
          first.release();
        }
        closeDirect();
        return false;
      }
      staging = first;
      spare = second;
    }
    return true;
  }

  /** A direct buffer of {@code bytes} whose whole blocks {@link #bypassPageCache} can write. */
  public static ByteBuffer alignedBuffer(int bytes) {
    int block = DirectWriter.ALIGNMENT;
    return ByteBuffer.allocateDirect(bytes + 2 * block).alignedSlice(block).slice(0, bytes);
  }

  /**
   * Writes all remaining bytes of {@code src}, leaving its position at its limit.
   *
   * @throws FileshareException on an I/O error; the file is then discarded at once (a partial write
   *     leaves data the digest does not describe, and a full disk should be freed quickly)
   */
  public void write(ByteBuffer src) {
    write(new ByteBuffer[] {src});
  }

  /** Writes all remaining bytes of {@code srcs}, in order, as {@link #write(ByteBuffer)} does. */
  public void write(ByteBuffer[] srcs) {
    requireOpen();
    long length = 0;
    for (ByteBuffer src : srcs) {
      length += src.remaining();
    }
    long remaining = length;
    long directBytes = 0;
    ByteBuffer[] views = null;
    Future<?> hashing = null;
    try {
      if (staging != null) {
        // Hashed as they are copied (see stage); whatever staging leaves follows below.
        directBytes = stage(srcs);
        remaining -= directBytes;
      }
      // Views taken before writing are exactly the bytes that go to the file (all of them, or the
      // write fails), so they can be hashed while the write runs.
      views = new ByteBuffer[srcs.length];
      for (int i = 0; i < srcs.length; i++) {
        views[i] = srcs[i].duplicate();
      }
      hashing = remaining >= PARALLEL_HASH_MIN_BYTES ? hashInBackground(views) : null;
      if (directBytes == 0) {
        directBytes = writeDirect(srcs);
        remaining -= directBytes;
      }
      while (remaining > 0) {
        remaining -= channel.write(srcs);
      }
    } catch (IOException e) {
      await(hashing);
      throw writeFailed(e);
    }
    if (hashing == null) {
      hash(views);
    } else {
      await(hashing);
    }
    bytesWritten += length;
    unflushedBytes += length - directBytes;
    if (unflushedBytes >= FLUSH_EVERY_BYTES) {
      flushInBackground();
    }
  }

  /**
   * Writes the whole blocks of a single buffer directly, if direct writes are on and the file's end
   * is aligned; the rest is left in {@code srcs} for the page cache, whose handle is moved past the
   * direct part.
   *
   * @return how many bytes were written directly
   */
  private long writeDirect(ByteBuffer[] srcs) throws IOException {
    if (direct == null || srcs.length != 1 || !DirectWriter.aligned(srcs[0])) {
      return 0;
    }
    ByteBuffer src = srcs[0];
    long n = DirectWriter.directPart(bytesWritten, src.remaining());
    if (n == 0) {
      return 0;
    }
    ByteBuffer blocks = src.duplicate();
    blocks.limit(blocks.position() + (int) n);
    if (!direct.write(blocks, bytesWritten)) {
      closeDirect(); // refused as invalid before a byte was written: the page cache it is
      return 0;
    }
    src.position(src.position() + (int) n);
    channel.position(bytesWritten + n);
    return n;
  }

  /**
   * Copies {@code srcs} into the staging buffer, hashing each piece as it lands; each time the
   * buffer fills, a disk thread writes it out directly while the copying goes on in the other
   * buffer, so that the copy and the disk overlap. Stops early if a direct write is refused: the
   * page cache then takes the rest, from the channel's position, which is left just after the
   * staged part.
   *
   * @return how many bytes were taken: all of them written, or on their way in a disk thread's
   *     write
   */
  private long stage(ByteBuffer[] srcs) throws IOException {
    long taken = 0;
    for (ByteBuffer src : srcs) {
      while (src.hasRemaining() && staging != null) {
        ByteBuffer buffer = staging.buffer;
        int n = Math.min(src.remaining(), buffer.remaining());
        buffer.put(buffer.position(), src, src.position(), n);
        // Hashed from the copy while it is still in this core's cache: reading the network
        // buffers again on another thread cost twice as much (cold, beside the copy).
        hasher.update(buffer.slice(buffer.position(), n));
        buffer.position(buffer.position() + n);
        src.position(src.position() + n);
        taken += n;
        if (!buffer.hasRemaining()) {
          writeStagingInBackground();
        }
      }
    }
    return taken;
  }

  /**
   * Hands the full staging buffer to a disk thread, then waits until the other buffer's write is
   * done, so that it can be filled: at most one write is in flight while the next data is copied. A
   * refused direct write makes the rest of the file go through the page cache.
   */
  private void writeStagingInBackground() throws IOException {
    ByteBuffer full = staging.buffer;
    full.flip();
    long at = stagedFrom;
    stagedFrom += full.remaining();
    CompletableFuture<Boolean> previous = stagedWrite;
    stagedWrite =
        previous.thenApplyAsync(
            stillDirect -> writeStaged(full, at, stillDirect), StorageThreads.FLUSHERS);
    // Under the lock: an abort from another thread must never see both fields on one lease, or
    // the other lease's permit would be lost for the life of the process.
    synchronized (this) {
      StagingBuffers.Lease written = staging;
      staging = spare;
      spare = written;
    }
    boolean stillDirect = awaitDisk(previous);
    staging.buffer.clear();
    if (!stillDirect) {
      finishStaging();
    }
  }

  /** On a disk thread: one staged buffer, directly unless a write before it was refused. */
  private boolean writeStaged(ByteBuffer buffer, long at, boolean stillDirect) {
    try {
      if (stillDirect && direct.write(buffer, at)) {
        return true;
      }
      writeCached(buffer.rewind(), at);
      return false;
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  /**
   * Ends staging: waits for the write in flight, writes what is still staged (the file's tail, or
   * everything after a refusal) through the page cache, which then takes any later data, and gives
   * the buffers back.
   */
  private void finishStaging() throws IOException {
    awaitDisk(stagedWrite);
    ByteBuffer buffer = staging.buffer.flip();
    int n = buffer.remaining();
    writeCached(buffer, stagedFrom);
    stagedFrom += n;
    channel.position(stagedFrom);
    releaseStaging();
    closeDirect();
  }

  /** Writes all of {@code buffer} at {@code at} through the page cache. */
  private void writeCached(ByteBuffer buffer, long at) throws IOException {
    for (long position = at; buffer.hasRemaining(); ) {
      position += channel.write(buffer, position);
    }
  }

  /** {@link #finishStaging}, before the digest is compared and flushed. */
  private void finishStagingForCommit() {
    if (staging == null) {
      return;
    }
    requireOpen();
    try {
      finishStaging();
    } catch (IOException e) {
      throw writeFailed(e);
    }
  }

  /** Discards the file after a failed write, and says why. */
  private FileshareException writeFailed(IOException e) {
    // Closed under us by an abort from another thread (a server shutting down): say so.
    FileshareException error =
        state == State.ABORTED ? discarded() : StorageErrors.map(e, StorageErrors.WRITING, name);
    abort();
    return error;
  }

  private void releaseStaging() {
    for (StagingBuffers.Lease lease : new StagingBuffers.Lease[] {staging, spare}) {
      if (lease != null) {
        lease.release();
      }
    }
    staging = null;
    spare = null;
  }

  private void closeDirect() {
    if (direct != null) {
      direct.close();
      direct = null;
    }
  }

  private Future<?> hashInBackground(ByteBuffer[] views) {
    try {
      return StorageThreads.HASHERS.submit(() -> hash(views));
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private void hash(ByteBuffer[] views) {
    for (ByteBuffer view : views) {
      hasher.update(view);
    }
  }

  /** Waits for a hashing task; its completion publishes the digest state to this thread. */
  private static void await(Future<?> task) {
    if (task == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        task.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the bytes are in flight; the hash must finish before they are reused
      } catch (ExecutionException e) {
        throw new IllegalStateException("hashing failed", e.getCause());
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts writing the data so far to disk, unless a flush is already running. The commit's own
   * flush then has only the tail left to wait for.
   */
  private void flushInBackground() {
    if (flushing != null && !flushing.isDone()) {
      return;
    }
    if (flushing != null && flushing.isCompletedExceptionally() && flushFailure == null) {
      // Kept: a later flush of the same descriptor may succeed although these pages never
      // reached the disk (the kernel reports a write-back error once).
      flushFailure = flushing;
    }
    unflushedBytes = 0;
    flushing =
        CompletableFuture.runAsync(
            () -> {
              try {
                channel.force(false);
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            },
            StorageThreads.FLUSHERS);
  }

  /** Waits for a background flush; its failure (a disk error on write-back) is this file's. */
  private void awaitBackgroundFlush() throws IOException {
    if (flushFailure != null) {
      awaitDisk(flushFailure);
    }
    if (flushing != null) {
      awaitDisk(flushing);
    }
  }

  /** Waits for a disk thread's flush or staged write; its failure (a disk error) is this file's. */
  private static <T> T awaitDisk(CompletableFuture<T> work) throws IOException {
    try {
      return work.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  /**
   * Makes the file visible under its name if its digest is {@code expectedDigest}: verifies,
   * flushes, publishes and makes the rename durable, in the calling thread. {@link #commitAsync}
   * does the same in a group with other files.
   *
   * <p>On any failure before the rename the temporary file is gone and an existing file of that
   * name is untouched. The one failure after it, the directory's sync, is reported as {@link
   * #notDurable}: the file is in place, but may not survive a crash.
   *
   * @param modifiedMillis the modification time to give the file, or a negative value to keep the
   *     time of writing
   * @return the path of the published file
   * @throws FileshareException with DIGEST_MISMATCH if the data is not what the sender hashed,
   *     ALREADY_EXISTS if {@code mode} is NO_CLOBBER and the name is taken, NO_SPACE or
   *     STORAGE_ERROR if the file system fails
   */
  public Path commit(byte[] expectedDigest, long modifiedMillis, WriteMode mode) {
    finishStagingForCommit();
    verify(expectedDigest);
    flush();
    Path published = publish(modifiedMillis, mode);
    try {
      syncDirectory(published.getParent());
    } catch (FileshareException e) {
      throw notDurable(name, e);
    }
    return published;
  }

  /** The error for a file renamed into place whose directory then failed to sync. */
  static FileshareException notDurable(String name, FileshareException syncFailure) {
    return new FileshareException(
        ErrorCode.STORAGE_ERROR,
        FileNames.forDisplay(name)
            + " is in place but may not survive a crash: "
            + syncFailure.getMessage(),
        syncFailure);
  }

  /**
   * Verifies the file now and commits it with others: their flushes run in parallel and their
   * directory is synced once, so many small files cost about one disk flush, not one each. The
   * future completes when the file is published and durable, or fails as {@link #commit} throws. No
   * more writes may follow.
   */
  public CompletableFuture<Path> commitAsync(
      byte[] expectedDigest, long modifiedMillis, WriteMode mode) {
    try {
      finishStagingForCommit();
      verify(expectedDigest);
    } catch (FileshareException e) {
      return CompletableFuture.failedFuture(e);
    }
    return GroupCommitter.SHARED.submit(this, modifiedMillis, mode);
  }

  /** Compares the digest of the data written with the sender's; a mismatch discards the file. */
  synchronized void verify(byte[] expectedDigest) {
    Objects.requireNonNull(expectedDigest, "expectedDigest");
    requireOpen();
    state = State.VERIFIED;
    digest = hasher.finish();
    if (!MessageDigest.isEqual(expectedDigest, digest)) {
      abort();
      throw new FileshareException(
          ErrorCode.DIGEST_MISMATCH,
          "digest mismatch for "
              + FileNames.forDisplay(name)
              + ": received data is corrupt; discarded");
    }
  }

  /**
   * Waits until the data is on disk. Not under the lock, so that {@link #abort()} can interrupt a
   * long flush by closing the channel.
   */
  void flush() {
    flush(false);
  }

  /**
   * As {@link #flush()}; with {@code fileSystemSynced} the whole file system was just flushed by a
   * syncfs that has reported no write-back error since this file was created, so only a background
   * flush's failure is left to learn of. Otherwise its own descriptor is flushed, which reports an
   * error in its data even if a syncfs has already been told of it (see {@link FileSystemSync}).
   */
  void flush(boolean fileSystemSynced) {
    try {
      // The data must be on disk before the rename is: otherwise a crash could publish the new
      // name over an empty or partial file.
      awaitBackgroundFlush();
      if (!fileSystemSynced) {
        channel.force(false);
      }
    } catch (IOException e) {
      throw writeFailed(e);
    }
  }

  /** Gives the flushed file its time and its name; the caller makes the directory durable. */
  synchronized Path publish(long modifiedMillis, WriteMode mode) {
    Objects.requireNonNull(mode, "mode");
    if (state == State.ABORTED) {
      throw discarded();
    }
    if (state != State.VERIFIED) {
      throw new IllegalStateException(FileNames.forDisplay(name) + " was not verified");
    }
    try {
      closeDirect();
      channel.close();
      if (modifiedMillis >= 0) {
        // Both times given, so the JDK need not read the file's attributes first (a system call
        // a file); the access time is now, as a new file's would be.
        Files.getFileAttributeView(temp, BasicFileAttributeView.class)
            .setTimes(
                FileTime.fromMillis(modifiedMillis),
                FileTime.fromMillis(System.currentTimeMillis()),
                null);
      }
      publish(mode);
    } catch (IOException e) {
      abort();
      throw StorageErrors.map(e, StorageErrors.WRITING, name);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
    state = State.COMMITTED;
    finished();
    return target;
  }

  /** Called once, when the file is committed or discarded. */
  private void finished() {
    onFinished.accept(this);
    FileSystemSync.release(fileSystem);
  }

  /** The digest of the received data, once {@link #commit} has computed it. */
  public byte[] digest() {
    if (digest == null) {
      throw new IllegalStateException("the digest of " + name + " is known only after commit");
    }
    return digest.clone();
  }

  /**
   * Discards the file: closes it and deletes the temporary file. Idempotent and never throws,
   * because it runs on error paths where a new exception would hide the original one. Does nothing
   * after a successful commit.
   */
  public synchronized void abort() {
    if (state != State.OPEN && state != State.VERIFIED) {
      return;
    }
    state = State.ABORTED;
    finished();
    DirectWriter writer = direct;
    if (writer != null) {
      writer.close();
    }
    for (StagingBuffers.Lease lease : new StagingBuffers.Lease[] {staging, spare}) {
      if (lease != null) {
        // The writer may still be copying into one buffer, and a disk thread writing another.
        lease.releasePermitOnly();
      }
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // The data is being thrown away.
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException | RuntimeException ignored) {
      // The next SharedDirectory.open removes it; it is hidden from listings until then.
    }
  }

  /** Discards the file unless it was committed. */
  @Override
  public void close() {
    abort();
  }

  private void requireOpen() {
    if (state == State.ABORTED) {
      // Discarded from another thread (a server shutting down) while data was still arriving.
      throw discarded();
    }
    if (state != State.OPEN) {
      throw new IllegalStateException(
          FileNames.forDisplay(name) + " was already " + state.name().toLowerCase(Locale.ROOT));
    }
  }

  private FileshareException discarded() {
    return new FileshareException(
        ErrorCode.STORAGE_ERROR, FileNames.forDisplay(name) + " was discarded");
  }

  private void publish(WriteMode mode) throws IOException {
    if (mode == WriteMode.REPLACE) {
      // rename(2) replaces the target atomically.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    try {
      // link(2) fails if the target exists, so no other writer can slip in between check and
      // publish.
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      throw alreadyExists();
    } catch (UnsupportedOperationException | FileSystemException e) {
      publishWithoutHardLinks();
      return;
    }
    // The file is published; a stray temporary name is hidden and removed at the next open, so a
    // failure here is ignored. java.io.File's delete is one unlink(2), where Files.delete first
    // reads the attributes to choose between unlink and rmdir.
    temp.toFile().delete();
  }

  /**
   * For file systems without hard links (FAT, some network shares). Another writer could create the
   * target between check and rename; that is the best these file systems allow.
   */
  private void publishWithoutHardLinks() throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw alreadyExists();
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private FileshareException alreadyExists() {
    return new FileshareException(
        ErrorCode.ALREADY_EXISTS,
        FileNames.forDisplay(name) + " already exists (use --force to overwrite)");
  }

  /**
   * Makes renames durable: they live in the directory, not in the file. A file system that refuses
   * the call as unsupported gives all the durability it has, and so does a platform without
   * directory handles (Windows); any other failure (EIO, or no descriptor to sync with) means the
   * new names may not survive a crash, and is reported, so that no file is acknowledged as stored
   * on a directory that failed.
   */
  static void syncDirectory(Path directory) {
    FileChannel dir;
    try {
      dir = FileChannel.open(directory, StandardOpenOption.READ);
    } catch (IOException e) {
      if (Platform.isWindows()) {
        return; // Windows: a directory cannot be opened, nor synced
      }
      // Out of descriptors, or a directory we may write to but not read: the rename is not
      // known to be durable, and must not be acknowledged as if it were.
      throw StorageErrors.map(e, "syncing", "the directory");
    }
    try (dir) {
      dir.force(true);
    } catch (IOException e) {
      if (!StorageErrors.isUnsupported(e)) {
        throw StorageErrors.map(e, "syncing", "the directory");
      }
    }
  }
}
