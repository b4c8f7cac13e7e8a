package dev.fileshare.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.FileInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte-level example in PROTOCOL.md is what the codec really sends. */
class ProtocolExampleTest {
  private static final long MTIME = 0x0000019ab1c2d3e0L;

  @Test
  void theDocumentedExampleMatchesTheCodec() throws IOException {
    String doc = Files.readString(Path.of("PROTOCOL.md"));
    DigestAlgorithm.Hasher hasher = VersionNegotiation.digestAlgorithm(3).newHasher();
    hasher.update("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
    List<Message> conversation =
        List.of(
            new Message.Hello(3, "test"),
            new Message.Welcome(3, "alpha", Message.Welcome.ACCESS_OPEN),
            new Message.ListRequest(),
            new Message.ListEntries(List.of(new FileInfo("a.txt", 5, MTIME))),
            new Message.ListEnd(1),
            new Message.GetRequest("a.txt"),
            new Message.FileHeader(5, MTIME),
            new Message.Digest(DigestAlgorithm.XXH3_128, hasher.finish()),
            new Message.ByeRequest(),
            new Message.Goodbye());
    String example = hexOfExample(doc);
    StringBuilder expected = new StringBuilder();
    for (Message m : conversation) {
      expected.append(encoded(m));
      if (m instanceof Message.FileHeader) {
        expected.append(HexFormat.of().formatHex("hello".getBytes()));
      }
    }
    assertThat(example).isEqualTo(expected.toString());
  }

  @Test
  void theDocumentedFramesOfOlderVersionsMatchTheCodec() throws IOException {
    String doc = Files.readString(Path.of("PROTOCOL.md")).replaceAll("\\s+", " ");
    DigestAlgorithm.Hasher sha256 = VersionNegotiation.digestAlgorithm(2).newHasher();
    sha256.update("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
    for (Message m :
        List.of(
            new Message.Welcome(2, "alpha", Message.Welcome.ACCESS_OPEN),
            new Message.Digest(DigestAlgorithm.SHA_256, sha256.finish()),
            new Message.Welcome(1, "alpha"))) {
      String hex = encoded(m);
      // As documented: type, length, then the body, split where the fields are.
      String documented =
          doc.substring(doc.indexOf("`" + hex.substring(0, 2) + " " + hex.substring(2, 10)));
      documented = documented.substring(1, documented.indexOf('`', 1));
      assertThat(documented.replace(" ", "")).as(m.toString()).isEqualTo(hex);
    }
  }

  private static String encoded(Message m) {
    ByteBuf buf = Unpooled.buffer();
    FrameCodec.encode(m, buf);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The hex columns of the example block: everything before the prose on each line. */
  private static String hexOfExample(String doc) {
    int start = doc.indexOf("```", doc.indexOf("## 3. Example")) + 3;
    int end = doc.indexOf("```", start);
    StringBuilder hex = new StringBuilder();
    for (String line : doc.substring(start, end).split("\n")) {
      for (String token : line.replace("→", " ").replace("←", " ").trim().split("\\s+")) {
        if (!token.matches("[0-9a-f]+")) {
          break;
        }
        hex.append(token);
      }
    }
    return hex.toString();
  }
}
