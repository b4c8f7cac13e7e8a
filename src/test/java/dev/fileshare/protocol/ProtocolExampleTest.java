package dev.fileshare.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.common.FileInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
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
    byte[] sha =
        HexFormat.of().parseHex("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    List<Message> conversation =
        List.of(
            new Message.Hello(1, "test"),
            new Message.Welcome(1, "alpha"),
            new Message.ListRequest(),
            new Message.ListEntries(List.of(new FileInfo("a.txt", 5, MTIME))),
            new Message.ListEnd(1),
            new Message.GetRequest("a.txt"),
            new Message.FileHeader(5, MTIME),
            new Message.Digest(sha),
            new Message.ByeRequest(),
            new Message.Goodbye());
    String example = hexOfExample(doc);
    StringBuilder expected = new StringBuilder();
    for (Message m : conversation) {
      ByteBuf buf = Unpooled.buffer();
      FrameCodec.encode(m, buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      expected.append(HexFormat.of().formatHex(bytes));
      if (m instanceof Message.FileHeader) {
        expected.append(HexFormat.of().formatHex("hello".getBytes()));
      }
    }
    assertThat(example).isEqualTo(expected.toString());
  }

  @Test
  void theDocumentedVersion2WelcomeMatchesTheCodec() throws IOException {
    String doc = Files.readString(Path.of("PROTOCOL.md"));
    ByteBuf buf = Unpooled.buffer();
    FrameCodec.encode(new Message.Welcome(2, "alpha", Message.Welcome.ACCESS_OPEN), buf);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    String hex = HexFormat.of().formatHex(bytes);
    String documented = "81 0000000a 0002 0005 616c706861 00";
    assertThat(doc).contains("`" + documented + "`");
    assertThat(documented.replace(" ", "")).isEqualTo(hex);
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
