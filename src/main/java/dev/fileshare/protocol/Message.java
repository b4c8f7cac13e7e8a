package dev.fileshare.protocol;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every frame of the protocol, as a value. Requests flow from client to server, replies from server
 * to client; {@link Digest} flows both ways after file data. See PROTOCOL.md.
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

  /** The digest of the file data that precedes it, by the connection's algorithm. */
  record Digest(DigestAlgorithm algorithm, byte[] value) implements Message {
    public Digest {
      Objects.requireNonNull(algorithm, "algorithm");
      if (value == null || value.length != algorithm.length()) {
        throw new IllegalArgumentException(
            "a " + algorithm + " digest has " + algorithm.length() + " bytes");
      }
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    public FrameType type() {
      return FrameType.DIGEST;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Digest d && algorithm == d.algorithm && Arrays.equals(value, d.value);
    }

    @Override
    public int hashCode() {
      return 31 * algorithm.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Digest[" + algorithm + " " + Hex.format(value) + "]";
    }
  }

  /**
   * The server's answer to {@link Hello}: the version it chose, its service name and, from version
   * 2, what needs a password (one of the {@code ACCESS_} values; always {@link #ACCESS_OPEN} in
   * version 1, which has no such field).
   */
  record Welcome(int version, String serverName, int access) implements Message {
    /** Anyone may list, get and put (a read-only server still refuses put). */
    public static final int ACCESS_OPEN = 0;

    /** Every command needs the password first. */
    public static final int ACCESS_PASSWORD = 1;

    /** Anyone may list and get; put needs the password. */
    public static final int ACCESS_PASSWORD_TO_PUT = 2;

    public Welcome {
      if (access < ACCESS_OPEN || access > ACCESS_PASSWORD_TO_PUT) {
        throw new IllegalArgumentException("unknown access mode " + access);
      }
    }

    public Welcome(int version, String serverName) {
      this(version, serverName, ACCESS_OPEN);
    }

    public FrameType type() {
      return FrameType.WELCOME;
    }
  }

  /** The password, in version 2 and later. Its text never appears in logs or toString. */
  record Auth(String password) implements Message {
    public FrameType type() {
      return FrameType.AUTH;
    }

    @Override
    public String toString() {
      return "Auth[password hidden]";
    }
  }

  /** The password was right: every command is open to this connection from now on. */
  record AuthOk() implements Message {
    public FrameType type() {
      return FrameType.AUTH_OK;
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
