package dev.fileshare.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Digests agree with the reference tools byte for byte (the expected values come from {@code xxhsum
 * -H2} and {@code sha256sum}), however the data is fed: another implementation of the protocol must
 * be able to check ours.
 */
class DigestAlgorithmTest {
  /**
   * 1,000,003 bytes of i mod 251: longer than XXH3's internal block, not a multiple of anything.
   */
  private static final byte[] PATTERN = pattern(1_000_003);

  @Test
  void xxh3IsTheReferenceXxh3With128BitsInCanonicalOrder() {
    assertThat(hex(DigestAlgorithm.XXH3_128, "")).isEqualTo("99aa06d3014798d86001c324468d497f");
    assertThat(hex(DigestAlgorithm.XXH3_128, "a")).isEqualTo("a96faf705af16834e6c632b61e964e1f");
    assertThat(hex(DigestAlgorithm.XXH3_128, "hello"))
        .isEqualTo("b5e9c1ad071b3e7fc779cfaa5e523818");
    assertThat(whole(DigestAlgorithm.XXH3_128, java.util.Arrays.copyOf(PATTERN, 240)))
        .isEqualTo("65b5be86da5540e7c92b68e16f83bbb6");
    assertThat(whole(DigestAlgorithm.XXH3_128, PATTERN))
        .isEqualTo("ff7880a76b3ad0273bd135bb217f309d");
  }

  @Test
  void sha256IsSha256() {
    assertThat(hex(DigestAlgorithm.SHA_256, "hello"))
        .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(whole(DigestAlgorithm.SHA_256, PATTERN))
        .isEqualTo("a7c4bea888022868c93104055fd56077cc81fe9eb624820fe2f717f313188782");
  }

  @ParameterizedTest
  @EnumSource(DigestAlgorithm.class)
  void theDigestIsTheSameHoweverTheDataArrives(DigestAlgorithm algorithm) {
    assertSameDigestFromEveryKindOfBuffer(algorithm::newHasher, whole(algorithm, PATTERN));
  }

  /** Both ways of reading a direct buffer (the one for C1 alone, the one for C2) agree. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void xxh3ReadsDirectBuffersRightEitherWay(boolean throughHeap) {
    assertSameDigestFromEveryKindOfBuffer(
        () -> DigestAlgorithm.xxh3Hasher(throughHeap), whole(DigestAlgorithm.XXH3_128, PATTERN));
  }

  private static void assertSameDigestFromEveryKindOfBuffer(
      Supplier<DigestAlgorithm.Hasher> hashers, String expected) {
    // Uneven pieces (1 byte to 265,720, past the heap path's 16 KiB scratch), each kind of buffer
    // the transfers use: heap arrays, heap buffers at an offset, direct buffers in both byte
    // orders.
    Function<byte[], ByteBuffer> heapSlice =
        b -> ByteBuffer.wrap(concat(new byte[7], b)).position(7).slice();
    Function<byte[], ByteBuffer> directBig = b -> ByteBuffer.allocateDirect(b.length).put(b).flip();
    Function<byte[], ByteBuffer> directLittle =
        b -> ByteBuffer.allocateDirect(b.length).order(ByteOrder.LITTLE_ENDIAN).put(b).flip();
    for (Function<byte[], ByteBuffer> kind :
        java.util.List.of(heapSlice, directBig, directLittle)) {
      DigestAlgorithm.Hasher hasher = hashers.get();
      int offset = 0;
      int step = 1;
      while (offset < PATTERN.length) {
        int n = Math.min(step, PATTERN.length - offset);
        ByteBuffer piece = kind.apply(java.util.Arrays.copyOfRange(PATTERN, offset, offset + n));
        hasher.update(piece);
        assertThat(piece.hasRemaining()).isFalse();
        offset += n;
        step = step * 3 + 1;
      }
      assertThat(HexFormat.of().formatHex(hasher.finish())).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(DigestAlgorithm.class)
  void eachAlgorithmHasItsWireNumberAndLength(DigestAlgorithm algorithm) {
    assertThat(DigestAlgorithm.byId(algorithm.id())).isSameAs(algorithm);
    assertThat(algorithm.newHasher().finish()).hasSize(algorithm.length());
  }

  @Test
  void unknownWireNumbersHaveNoAlgorithm() {
    assertThat(DigestAlgorithm.byId(0)).isNull();
    assertThat(DigestAlgorithm.byId(3)).isNull();
    assertThat(DigestAlgorithm.byId(255)).isNull();
  }

  private static String hex(DigestAlgorithm algorithm, String text) {
    return whole(algorithm, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String whole(DigestAlgorithm algorithm, byte[] data) {
    DigestAlgorithm.Hasher hasher = algorithm.newHasher();
    hasher.update(data, 0, data.length);
    return HexFormat.of().formatHex(hasher.finish());
  }

  private static byte[] pattern(int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (i % 251);
    }
    return data;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
