package dev.fileshare.protocol;

import static dev.fileshare.protocol.ProtocolLimits.HEADER_BYTES;
import static dev.fileshare.protocol.ProtocolLimits.MAGIC;
import static dev.fileshare.protocol.ProtocolLimits.MAX_BODY_BYTES;
import static dev.fileshare.protocol.ProtocolLimits.MAX_MESSAGE_BYTES;
import static dev.fileshare.protocol.ProtocolLimits.MAX_STRING_BYTES;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes protocol frames on buffers only: no sockets, no files. The server's Netty
 * pipeline and the blocking client both go through here, so there is one definition of the wire.
 *
 * <p>A frame is {@code type:u8 length:u32 body[length]}, integers big-endian. File data is not
 * framed: it follows a PUT or FILE frame as exactly the announced number of raw bytes, and callers
 * read it themselves before decoding the DIGEST frame that ends it.
 */
public final class FrameCodec {
  private FrameCodec() {}

  public static void encode(Message message, ByteBuf out) {
    out.writeByte(message.type().code());
    int lengthIndex = out.writerIndex();
    out.writeInt(0);
    int bodyStart = out.writerIndex();
    writeBody(message, out);
    int bodyLength = out.writerIndex() - bodyStart;
    if (bodyLength > MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          message.type() + " body of " + bodyLength + " bytes exceeds the frame limit");
    }
    out.setInt(lengthIndex, bodyLength);
  }

  private static void writeBody(Message message, ByteBuf out) {
    if (message instanceof Message.Hello m) {
      out.writeBytes(MAGIC);
      out.writeShort(m.version());
      writeString(out, m.agent());
    } else if (message instanceof Message.GetRequest m) {
      writeString(out, m.name());
    } else if (message instanceof Message.PutRequest m) {
      writeString(out, m.name());
      out.writeLong(m.size());
      out.writeLong(m.modifiedMillis());
    } else if (message instanceof Message.Digest m) {
      out.writeByte(m.algorithm().id());
      out.writeBytes(m.value());
    } else if (message instanceof Message.Welcome m) {
      out.writeShort(m.version());
      writeString(out, m.serverName());
      if (m.version() >= ProtocolLimits.FIRST_VERSION_WITH_AUTH) {
        out.writeByte(m.access());
      }
    } else if (message instanceof Message.Auth m) {
      writeString(out, m.password());
    } else if (message instanceof Message.ListEntries m) {
      out.writeShort(m.entries().size());
      for (FileInfo f : m.entries()) {
        writeString(out, f.name());
        out.writeLong(f.size());
        out.writeLong(f.modifiedMillis());
      }
    } else if (message instanceof Message.ListEnd m) {
      out.writeLong(m.total());
    } else if (message instanceof Message.FileHeader m) {
      out.writeLong(m.size());
      out.writeLong(m.modifiedMillis());
    } else if (message instanceof Message.Stored m) {
      writeString(out, m.name());
      out.writeLong(m.size());
    } else if (message instanceof Message.ErrorReply m) {
      out.writeShort(m.code().wireCode());
      writeString(out, truncateUtf8(m.message(), MAX_MESSAGE_BYTES));
    }
    // LIST, BYE, GOODBYE and AUTH_OK have empty bodies.
  }

  /**
   * Decodes one whole frame from the reader index of {@code in}, or returns null (consuming
   * nothing) when the buffer does not hold a whole frame yet. A header that can never start a valid
   * frame fails at once, without waiting for its body, so garbage (a TLS handshake, an HTTP
   * request) is refused on its first bytes.
   *
   * @throws FileshareException with {@link ErrorCode#PROTOCOL_ERROR} for a malformed frame
   */
  public static Message decode(ByteBuf in) {
    if (in.readableBytes() < 1) {
      return null;
    }
    int start = in.readerIndex();
    int typeCode = in.getUnsignedByte(start);
    FrameType type = FrameType.of(typeCode);
    if (type == null) {
      throw malformed(String.format("unknown frame type 0x%02x", typeCode));
    }
    if (in.readableBytes() < HEADER_BYTES) {
      return null;
    }
    long length = in.getUnsignedInt(start + 1);
    if (length > MAX_BODY_BYTES) {
      throw malformed(
          type + " frame announces " + length + " bytes, more than the limit of " + MAX_BODY_BYTES);
    }
    if (in.readableBytes() < HEADER_BYTES + length) {
      return null;
    }
    ByteBuf body = in.slice(start + HEADER_BYTES, (int) length);
    Message message;
    try {
      message = readBody(type, body);
    } catch (IndexOutOfBoundsException e) {
      throw malformed(type + " frame is truncated");
    }
    if (body.isReadable()) {
      throw malformed(type + " frame has " + body.readableBytes() + " unexpected trailing bytes");
    }
    in.readerIndex(start + HEADER_BYTES + (int) length);
    return message;
  }

  private static Message readBody(FrameType type, ByteBuf body) {
    switch (type) {
      case HELLO:
        {
          byte[] magic = new byte[MAGIC.length];
          body.readBytes(magic);
          if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw malformed("HELLO does not start with the fileshare magic");
          }
          int version = body.readUnsignedShort();
          return new Message.Hello(version, readString(body));
        }
      case LIST:
        return new Message.ListRequest();
      case GET:
        return new Message.GetRequest(readString(body));
      case PUT:
        return new Message.PutRequest(readString(body), readSize(body), body.readLong());
      case BYE:
        return new Message.ByeRequest();
      case DIGEST:
        {
          int id = body.readUnsignedByte();
          DigestAlgorithm algorithm = DigestAlgorithm.byId(id);
          if (algorithm == null) {
            throw malformed("unknown digest algorithm " + id);
          }
          byte[] digest = new byte[algorithm.length()];
          body.readBytes(digest);
          return new Message.Digest(algorithm, digest);
        }
      case WELCOME:
        {
          int version = body.readUnsignedShort();
          String name = readString(body);
          if (version < ProtocolLimits.FIRST_VERSION_WITH_AUTH) {
            return new Message.Welcome(version, name);
          }
          int access = body.readUnsignedByte();
          if (access > Message.Welcome.ACCESS_PASSWORD_TO_PUT) {
            throw malformed("unknown access mode " + access);
          }
          return new Message.Welcome(version, name, access);
        }
      case AUTH:
        return new Message.Auth(readString(body));
      case AUTH_OK:
        return new Message.AuthOk();
      case ENTRIES:
        {
          int count = body.readUnsignedShort();
          List<FileInfo> entries = new ArrayList<>(Math.min(count, 1024));
          for (int i = 0; i < count; i++) {
            String name = readString(body);
            long size = readSize(body);
            long modified = body.readLong();
            if (name.isEmpty()) {
              throw malformed("listing entry with an empty name");
            }
            entries.add(new FileInfo(name, size, modified));
          }
          return new Message.ListEntries(entries);
        }
      case END:
        return new Message.ListEnd(readSize(body));
      case FILE:
        return new Message.FileHeader(readSize(body), body.readLong());
      case STORED:
        return new Message.Stored(readString(body), readSize(body));
      case GOODBYE:
        return new Message.Goodbye();
      case ERROR:
        {
          ErrorCode code = ErrorCode.fromWire(body.readUnsignedShort());
          return new Message.ErrorReply(code, readString(body));
        }
      default:
        throw malformed("unexpected frame type " + type);
    }
  }

  /** Sizes are u64 on the wire; values of 2^63 and above are refused rather than wrapped. */
  private static long readSize(ByteBuf body) {
    long size = body.readLong();
    if (size < 0) {
      throw malformed("size " + Long.toUnsignedString(size) + " is out of range");
    }
    return size;
  }

  private static void writeString(ByteBuf out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_STRING_BYTES) {
      throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long");
    }
    out.writeShort(bytes.length);
    out.writeBytes(bytes);
  }

  private static String readString(ByteBuf body) {
    int length = body.readUnsignedShort();
    if (length > MAX_STRING_BYTES) {
      throw malformed("string of " + length + " bytes exceeds the limit of " + MAX_STRING_BYTES);
    }
    ByteBuffer bytes = body.readSlice(length).nioBuffer();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed("string is not valid UTF-8");
    }
  }

  /** Cuts {@code s} to at most {@code maxBytes} of UTF-8 without splitting a character. */
  static String truncateUtf8(String s, int maxBytes) {
    if (s.length() * 3 <= maxBytes || s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return s;
    }
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > maxBytes - 3) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return s.substring(0, i) + "…";
  }

  /**
   * Splits a listing into ENTRIES frames that each fit the frame limit, followed by the END frame.
   */
  public static List<Message> listing(List<FileInfo> files) {
    List<Message> frames = new ArrayList<>();
    List<FileInfo> page = new ArrayList<>();
    int pageBytes = 2;
    for (FileInfo f : files) {
      int entryBytes = 2 + f.name().getBytes(StandardCharsets.UTF_8).length + 16;
      if (pageBytes + entryBytes > MAX_BODY_BYTES || page.size() == 0xFFFF) {
        frames.add(new Message.ListEntries(page));
        page = new ArrayList<>();
        pageBytes = 2;
      }
      page.add(f);
      pageBytes += entryBytes;
    }
    if (!page.isEmpty()) {
      frames.add(new Message.ListEntries(page));
    }
    frames.add(new Message.ListEnd(files.size()));
    return frames;
  }

  private static FileshareException malformed(String detail) {
    return new FileshareException(ErrorCode.PROTOCOL_ERROR, "malformed frame: " + detail);
  }
}
