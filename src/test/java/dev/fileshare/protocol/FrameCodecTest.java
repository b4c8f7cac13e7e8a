package dev.fileshare.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {

  static Stream<Message> everyMessage() {
    byte[] digest = new byte[32];
    Arrays.fill(digest, (byte) 0xAB);
    return Stream.of(
        new Message.Hello(1, "fileshare-test/1"),
        new Message.ListRequest(),
        new Message.GetRequest("report.pdf"),
        new Message.GetRequest("日本語 with spaces.txt"),
        new Message.PutRequest("émoji 🎉.bin", 5_000_000_000L, 1_700_000_000_000L),
        new Message.PutRequest("empty", 0, -1),
        new Message.ByeRequest(),
        new Message.Digest(DigestAlgorithm.SHA_256, digest),
        new Message.Digest(DigestAlgorithm.XXH3_128, Arrays.copyOf(digest, 16)),
        new Message.Welcome(1, "fileshare on alpha"),
        new Message.Welcome(2, "open", Message.Welcome.ACCESS_OPEN),
        new Message.Welcome(2, "locked", Message.Welcome.ACCESS_PASSWORD),
        new Message.Welcome(3, "read for all", Message.Welcome.ACCESS_PASSWORD_TO_PUT),
        new Message.Auth("pässword with spaces"),
        new Message.AuthOk(),
        new Message.ErrorReply(ErrorCode.AUTH_FAILED, "wrong password"),
        new Message.ErrorReply(ErrorCode.TLS_MISMATCH, "this server uses TLS"),
        new Message.ListEntries(
            List.of(new FileInfo("a", 0, 0), new FileInfo("b c", Long.MAX_VALUE, -5))),
        new Message.ListEntries(List.of()),
        new Message.ListEnd(2),
        new Message.FileHeader(1L << 33, 123),
        new Message.Stored("x", 42),
        new Message.Goodbye(),
        new Message.ErrorReply(ErrorCode.NOT_FOUND, "no such file: x"));
  }

  @ParameterizedTest
  @MethodSource("everyMessage")
  void everyMessageSurvivesARoundTrip(Message message) {
    ByteBuf buf = encode(message);
    assertThat(FrameCodec.decode(buf)).isEqualTo(message);
    assertThat(buf.isReadable()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("everyMessage")
  void everyTruncatedFrameWaitsForMoreWithoutConsuming(Message message) {
    ByteBuf whole = encode(message);
    for (int length = 0; length < whole.readableBytes(); length++) {
      ByteBuf prefix = whole.slice(0, length);
      assertThat(FrameCodec.decode(prefix)).as("prefix of %d bytes", length).isNull();
      assertThat(prefix.readerIndex()).isZero();
    }
  }

  @Test
  void aWelcomeWithAnUnknownAccessModeIsRefused() {
    ByteBuf buf = encode(new Message.Welcome(2, "x", Message.Welcome.ACCESS_OPEN));
    buf.setByte(buf.writerIndex() - 1, 3);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrameCodec.decode(buf))
        .hasMessageContaining("unknown access mode 3");
  }

  @Test
  void aVersion1WelcomeHasNoAccessByte() {
    ByteBuf v1 = encode(new Message.Welcome(1, "x"));
    ByteBuf v2 = encode(new Message.Welcome(2, "x", Message.Welcome.ACCESS_OPEN));
    assertThat(v2.readableBytes()).isEqualTo(v1.readableBytes() + 1);
  }

  @Test
  void framesFollowingEachOtherDecodeInOrder() {
    ByteBuf buf = Unpooled.buffer();
    everyMessage().forEach(m -> FrameCodec.encode(m, buf));
    List<Message> decoded = new ArrayList<>();
    Message m;
    while ((m = FrameCodec.decode(buf)) != null) {
      decoded.add(m);
    }
    assertThat(decoded).containsExactlyElementsOf(everyMessage().toList());
  }

  @Test
  void unknownTypeIsRefusedOnItsFirstByte() {
    // A TLS ClientHello starts with 0x16; an HTTP request with 'G'.
    assertMalformed(bytes(0x16), "unknown frame type 0x16");
    assertMalformed("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), "unknown frame type");
  }

  @Test
  void oversizedLengthIsRefusedWithoutWaitingForTheBody() {
    assertMalformed(bytes(0x03, 0x00, 0x01, 0x00, 0x01), "more than the limit");
    assertMalformed(bytes(0x03, 0xFF, 0xFF, 0xFF, 0xFF), "more than the limit");
  }

  @Test
  void trailingBytesInABodyAreRefused() {
    assertMalformed(bytes(0x02, 0, 0, 0, 1, 0x00), "trailing bytes");
  }

  @Test
  void bodyShorterThanItsFieldsIsRefused() {
    // GET whose string announces 10 bytes but the body holds 3.
    assertMalformed(bytes(0x03, 0, 0, 0, 5, 0, 10, 'a', 'b', 'c'), "truncated");
    assertMalformed(bytes(0x10, 0, 0, 0, 1, 1), "truncated");
  }

  @Test
  void invalidUtf8IsRefused() {
    assertMalformed(bytes(0x03, 0, 0, 0, 4, 0, 2, 0xC3, 0x28), "not valid UTF-8");
    assertMalformed(bytes(0x03, 0, 0, 0, 4, 0, 2, 0xED, 0xA0), "not valid UTF-8");
  }

  @Test
  void sizesOfTwoToTheSixtyThreeOrMoreAreRefused() {
    ByteBuf buf = Unpooled.buffer();
    buf.writeByte(FrameType.FILE.code()).writeInt(16).writeLong(-1L).writeLong(0);
    assertMalformed(buf, "out of range");
  }

  @Test
  void helloWithoutTheMagicIsRefused() {
    ByteBuf buf = Unpooled.buffer();
    buf.writeByte(FrameType.HELLO.code()).writeInt(8).writeBytes("HTTP".getBytes()).writeShort(1);
    buf.writeShort(0);
    assertMalformed(buf, "magic");
  }

  @Test
  void unknownDigestAlgorithmIsRefused() {
    ByteBuf buf = Unpooled.buffer();
    buf.writeByte(FrameType.DIGEST.code()).writeInt(33).writeByte(7).writeZero(32);
    assertMalformed(buf, "digest algorithm");
  }

  @Test
  void unknownErrorCodesStillDecode() {
    ByteBuf buf = Unpooled.buffer();
    buf.writeByte(FrameType.ERROR.code()).writeInt(4).writeShort(77).writeShort(0);
    Message.ErrorReply reply = (Message.ErrorReply) FrameCodec.decode(buf);
    assertThat(reply.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
  }

  @Test
  void longErrorMessagesAreCutToFitWithoutSplittingCharacters() {
    String message = "é".repeat(5000);
    Message.ErrorReply decoded =
        (Message.ErrorReply)
            FrameCodec.decode(encode(new Message.ErrorReply(ErrorCode.STORAGE_ERROR, message)));
    assertThat(decoded.message().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(ProtocolLimits.MAX_MESSAGE_BYTES);
    assertThat(decoded.message()).startsWith("éé").endsWith("…");
  }

  @Test
  void largeListingsArePagedIntoFramesThatFit() {
    List<FileInfo> files = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      files.add(new FileInfo("file-" + i + "-" + "x".repeat(200), i, i * 1000L));
    }
    List<Message> frames = FrameCodec.listing(files);
    assertThat(frames.size()).isGreaterThan(2);
    assertThat(frames.get(frames.size() - 1)).isEqualTo(new Message.ListEnd(2000));
    List<FileInfo> decoded = new ArrayList<>();
    for (Message frame : frames) {
      ByteBuf buf = encode(frame);
      assertThat(buf.readableBytes())
          .isLessThanOrEqualTo(ProtocolLimits.HEADER_BYTES + ProtocolLimits.MAX_BODY_BYTES);
      Message back = FrameCodec.decode(buf);
      if (back instanceof Message.ListEntries entries) {
        decoded.addAll(entries.entries());
      }
    }
    assertThat(decoded).containsExactlyElementsOf(files);
  }

  @Test
  void anEmptyListingIsJustTheEnd() {
    assertThat(FrameCodec.listing(List.of())).containsExactly(new Message.ListEnd(0));
  }

  @Test
  void randomBytesNeverFailOtherThanAsAProtocolError() {
    Random random = new Random(20261124);
    FrameType[] types = FrameType.values();
    for (int i = 0; i < 20_000; i++) {
      byte[] data = new byte[random.nextInt(64)];
      random.nextBytes(data);
      if (data.length >= 5 && random.nextBoolean()) {
        // Steer towards known types and plausible lengths so that bodies get parsed.
        data[0] = (byte) types[random.nextInt(types.length)].code();
        data[1] = 0;
        data[2] = 0;
        data[3] = 0;
        data[4] = (byte) random.nextInt(data.length - 4);
      }
      ByteBuf buf = Unpooled.wrappedBuffer(data);
      try {
        while (FrameCodec.decode(buf) != null) {
          // keep decoding
        }
      } catch (FileshareException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      }
    }
  }

  private static ByteBuf encode(Message message) {
    ByteBuf buf = Unpooled.buffer();
    FrameCodec.encode(message, buf);
    return buf;
  }

  private static void assertMalformed(byte[] data, String detail) {
    assertMalformed(Unpooled.wrappedBuffer(data), detail);
  }

  private static void assertMalformed(ByteBuf buf, String detail) {
    assertThatThrownBy(() -> FrameCodec.decode(buf))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
        .hasMessageContaining(detail);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
