package dev.fileshare.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Whatever bytes arrive, the decoder returns frames, asks for more, or refuses with a
 * PROTOCOL_ERROR; nothing else (no other exception, no hang, no huge allocation). Every frame it
 * accepts encodes back to the same message. Replays the committed corpus in every test run; {@code
 * JAZZER_FUZZ=1} fuzzes for real (bounded).
 */
class FrameCodecFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decodesOrRefusesCleanly(byte[] input) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    try {
      Message message;
      while ((message = FrameCodec.decode(in)) != null) {
        ByteBuf again = Unpooled.buffer();
        FrameCodec.encode(message, again);
        assertThat(FrameCodec.decode(again)).isEqualTo(message);
      }
    } catch (FileshareException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    }
  }
}
