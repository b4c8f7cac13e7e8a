package dev.fileshare.common;

import com.dynatrace.hash4j.hashing.ByteAccess;
import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The digests that verify file data end to end, each with its number on the wire (the DIGEST
 * frame's {@code algorithm} byte) and its length.
 *
 * <p>The digest guards against corruption between the sender's file and the receiver's disk, not
 * against an attacker: on a plain connection anyone who can change the data can recompute any
 * unkeyed digest, and on TLS the record layer's authentication already covers the transit. So the
 * fastest digest with a negligible chance of missing an accident serves best: XXH3-128, as rsync
 * has used by default since 3.2, hashes at 5-7 GB/s here against SHA-256's 1.6 GB/s (with the CPU's
 * SHA instructions), which was the largest cost of a large upload.
 */
public enum DigestAlgorithm {
  /** SHA-256 (FIPS 180-4); the digest of protocol versions 1 and 2. */
  SHA_256(1, 32, "SHA-256"),
  /**
   * XXH3 with 128-bit output and seed 0, in its canonical byte order (as {@code xxhsum -H2} prints
   * it: the high 64 bits first, each half big-endian); the digest from protocol version 3.
   */
  XXH3_128(2, 16, "XXH3-128");

  private final int id;
  private final int length;
  private final String displayName;

  DigestAlgorithm(int id, int length, String displayName) {
    this.id = id;
    this.length = length;
    this.displayName = displayName;
  }

  /** The number that names it in a DIGEST frame. */
  public int id() {
    return id;
  }

  /** Bytes in a digest. */
  public int length() {
    return length;
  }

  /** The algorithm with this wire number, or null if there is none. */
  public static DigestAlgorithm byId(int id) {
    for (DigestAlgorithm algorithm : values()) {
      if (algorithm.id == id) {
        return algorithm;
      }
    }
    return null;
  }

  /** A fresh digest computation. */
  public Hasher newHasher() {
    return this == SHA_256 ? new Sha256Hasher() : new Xxh3Hasher(Xxh3Hasher.THROUGH_HEAP);
  }

  /** An XXH3-128 hasher that reads direct buffers as the given JIT does best (for tests). */
  static Hasher xxh3Hasher(boolean throughHeap) {
    return new Xxh3Hasher(throughHeap);
  }

  @Override
  public String toString() {
    return displayName;
  }

  /** One digest being computed; not thread-safe (hand it over with a happens-before edge). */
  public abstract static class Hasher {
    private Hasher() {}

    /** Adds the buffer's remaining bytes and moves its position to its limit. */
    public abstract void update(ByteBuffer data);

    public abstract void update(byte[] data, int offset, int length);

    /** The digest of everything added; the hasher must not be used afterwards. */
    public abstract byte[] finish();
  }

  private static final class Sha256Hasher extends Hasher {
    private static final MessageDigest PROTOTYPE = lookUp();

    private final MessageDigest digest = fresh();

    @Override
    public void update(ByteBuffer data) {
      digest.update(data);
    }

    @Override
    public void update(byte[] data, int offset, int length) {
      digest.update(data, offset, length);
    }

    @Override
    public byte[] finish() {
      return digest.digest();
    }

    // Cloning skips the provider look-up that getInstance does on every call.
    private static MessageDigest fresh() {
      try {
        return (MessageDigest) PROTOTYPE.clone();
      } catch (CloneNotSupportedException e) {
        return lookUp();
      }
    }

    private static MessageDigest lookUp() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }
  }

  private static final class Xxh3Hasher extends Hasher {
    private static final ByteAccess<ByteBuffer> LITTLE_ENDIAN =
        ByteAccess.forByteBuffer(ByteOrder.LITTLE_ENDIAN);

    /**
     * The launcher runs one-shot commands with C1 alone ({@code -Dfileshare.jit=c1}), which does
     * not inline a direct buffer's word reads: XXH3 over a direct buffer ran at 1.1 GB/s there,
     * over a heap array about 3 GB/s, the copy included. C2 reads the direct buffer itself faster
     * (7.3 GB/s little-endian, against 6 through a heap array).
     */
    static final boolean THROUGH_HEAP = "c1".equals(System.getProperty("fileshare.jit"));

    private static final ThreadLocal<byte[]> SCRATCH =
        ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private final HashStream128 stream = Hashing.xxh3_128().hashStream();
    private final boolean throughHeap;

    Xxh3Hasher(boolean throughHeap) {
      this.throughHeap = throughHeap;
    }

    @Override
    public void update(ByteBuffer data) {
      int position = data.position();
      int length = data.remaining();
      if (data.hasArray()) {
        stream.putBytes(data.array(), data.arrayOffset() + position, length);
      } else if (throughHeap) {
        byte[] scratch = SCRATCH.get();
        ByteBuffer source = data.duplicate();
        while (source.hasRemaining()) {
          int piece = Math.min(scratch.length, source.remaining());
          source.get(scratch, 0, piece);
          stream.putBytes(scratch, 0, piece);
        }
      } else {
        // XXH3 reads little-endian words: through a big-endian view each one would be swapped
        // back (measured: 4.7 against 7.3 GB/s on JDK 25).
        ByteBuffer view = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        stream.putBytes(view, position, length, LITTLE_ENDIAN);
      }
      data.position(data.limit());
    }

    @Override
    public void update(byte[] data, int offset, int length) {
      stream.putBytes(data, offset, length);
    }

    @Override
    public byte[] finish() {
      HashValue128 value = stream.get();
      return ByteBuffer.allocate(16)
          .putLong(value.getMostSignificantBits())
          .putLong(value.getLeastSignificantBits())
          .array();
    }
  }
}
