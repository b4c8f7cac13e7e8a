package dev.fileshare.protocol;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import java.util.Arrays;
import java.util.List;

/**
 * Every frame of protocol version 1, as a value. Requests flow from client to server, replies from
 * server to client; {@link Digest} flows both ways after file data. See PROTOCOL.md.
 */
public sealed interface Message {

  /** The frame type byte of this message on the wire. */
  FrameType type();

  /** First frame of every connection: the magic and the highest version the client speaks. */
  record Hello(int version, String agent) implements Message {
    public FrameType type() {
      return FrameType.HELLO;
    }
  }

  record ListRequest() implements Message {
    public FrameType type() {
      return FrameType.LIST;
    }
  }

  record GetRequest(String name) implements Message {
    public FrameType type() {
      return FrameType.GET;
    }
  }

  /**
   * Announces an upload: exactly {@code size} bytes of file data follow this frame, then a {@link
   * Digest} frame.
   */
  record PutRequest(String name, long size, long modifiedMillis) implements Message {
    public FrameType type() {
      return FrameType.PUT;
    }
  }

  record ByeRequest() implements Message {
    public FrameType type() {
      return FrameType.BYE;
    }
  }

  /** SHA-256 of the file data that precedes it. */
  record Digest(byte[] sha256) implements Message {
    public static final int SHA256_LENGTH = 32;

    public Digest {
      if (sha256 == null || sha256.length != SHA256_LENGTH) {
        throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
      }
      sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
      return sha256.clone();
    }

    public boolean matches(byte[] other) {
      return java.security.MessageDigest.isEqual(sha256, other);
    }

    public FrameType type() {
      return FrameType.DIGEST;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Digest d && Arrays.equals(sha256, d.sha256);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
      return "Digest[" + Hex.format(sha256) + "]";
    }
  }

  /** The server's answer to {@link Hello}: the version it chose and its service name. */
  record Welcome(int version, String serverName) implements Message {
    public FrameType type() {
      return FrameType.WELCOME;
    }
  }

  /** One slice of a listing; a listing is zero or more of these, then {@link ListEnd}. */
  record ListEntries(List<FileInfo> entries) implements Message {
    public ListEntries {
      entries = List.copyOf(entries);
    }

    public FrameType type() {
      return FrameType.ENTRIES;
    }
  }

  record ListEnd(long total) implements Message {
    public FrameType type() {
      return FrameType.END;
    }
  }

  /**
   * Starts a download: exactly {@code size} bytes of file data follow this frame, then a {@link
   * Digest} frame.
   */
  record FileHeader(long size, long modifiedMillis) implements Message {
    public FrameType type() {
      return FrameType.FILE;
    }
  }

  /** An upload was verified and published under {@code name}. */
  record Stored(String name, long size) implements Message {
    public FrameType type() {
      return FrameType.STORED;
    }
  }

  record Goodbye() implements Message {
    public FrameType type() {
      return FrameType.GOODBYE;
    }
  }

  record ErrorReply(ErrorCode code, String message) implements Message {
    public FrameType type() {
      return FrameType.ERROR;
    }
  }
}
