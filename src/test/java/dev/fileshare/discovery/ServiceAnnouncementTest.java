package dev.fileshare.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceAnnouncementTest {

  private static Optional<ServiceAnnouncement> parse(String text) {
    return ServiceAnnouncement.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encodesNameVersionAndPortAsLines() {
    byte[] encoded = new ServiceAnnouncement("fileshare on alpha", 30001, 1).encode();

    assertThat(new String(encoded, StandardCharsets.UTF_8))
        .isEqualTo("fileshare on alpha\nversion=1\nport=30001\n");
  }

  @Test
  void roundTripsAnnouncements() {
    for (ServiceAnnouncement announcement :
        new ServiceAnnouncement[] {
          new ServiceAnnouncement("fileshare on alpha", 30001, 1),
          new ServiceAnnouncement("Zoë's Dateifreigabe — 共有 🚀", 4242, 7),
          new ServiceAnnouncement("x", 1, 0),
          new ServiceAnnouncement("y", 65535, Integer.MAX_VALUE),
        }) {
      assertThat(ServiceAnnouncement.parse(announcement.encode())).contains(announcement);
    }
  }

  @Test
  void longestNameStillFitsTheReplyLimit() {
    String name = "é".repeat(DiscoveryProtocol.MAX_NAME_BYTES / 2);
    ServiceAnnouncement announcement = new ServiceAnnouncement(name, 65535, Integer.MAX_VALUE);

    assertThat(announcement.encode().length).isLessThanOrEqualTo(DiscoveryProtocol.MAX_REPLY_BYTES);
    assertThat(ServiceAnnouncement.parse(announcement.encode())).contains(announcement);
  }

  @Test
  void parsesWithinALargerArray() {
    byte[] payload = new ServiceAnnouncement("svc", 1234, 1).encode();
    byte[] framed = new byte[payload.length + 10];
    Arrays.fill(framed, (byte) 'z');
    System.arraycopy(payload, 0, framed, 5, payload.length);

    assertThat(ServiceAnnouncement.parse(framed, 5, payload.length))
        .contains(new ServiceAnnouncement("svc", 1234, 1));
  }

  @Test
  void bareNameIsAnOriginalServer() {
    assertThat(parse("X's File Sharing Service"))
        .contains(new ServiceAnnouncement("X's File Sharing Service", 30001, 0));
    assertThat(parse("X's File Sharing Service\n"))
        .contains(ServiceAnnouncement.original("X's File Sharing Service"));
  }

  @Test
  void toleratesCrlfAndSurroundingSpace() {
    assertThat(parse("  fileshare on beta \r\nversion=1\r\nport=4000\r\n"))
        .contains(new ServiceAnnouncement("fileshare on beta", 4000, 1));
    assertThat(parse("name\r\n port = 4000 \r\n"))
        .contains(new ServiceAnnouncement("name", 4000, 0));
  }

  @Test
  void ignoresUnknownKeysAndLinesWithoutEquals() {
    assertThat(parse("svc\nfingerprint=ab:cd\nversion=2\njunk line\n\nport=5000\nextra=\n"))
        .contains(new ServiceAnnouncement("svc", 5000, 2));
  }

  @Test
  void firstOfRepeatedKeysCounts() {
    assertThat(parse("svc\nport=5000\nport=6000\n"))
        .contains(new ServiceAnnouncement("svc", 5000, 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65536", "abc", "-1", "", "+80", "99999999999", "١٢٣", "80x"})
  void rejectsBadPorts(String port) {
    assertThat(parse("svc\nversion=1\nport=" + port + "\n")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "", "x", "1.0", "2147483648", "+1"})
  void rejectsBadVersions(String version) {
    assertThat(parse("svc\nversion=" + version + "\nport=4000\n")).isEmpty();
  }

  @Test
  void rejectsPayloadsWithoutAName() {
    assertThat(ServiceAnnouncement.parse(new byte[0])).isEmpty();
    assertThat(ServiceAnnouncement.parse(null)).isEmpty();
    assertThat(parse("\nversion=1\nport=30001\n")).isEmpty();
    assertThat(parse("   \r\nport=30001\n")).isEmpty();
    assertThat(parse("\n")).isEmpty();
  }

  @Test
  void rejectsOutOfBoundsSlices() {
    byte[] data = "svc".getBytes(StandardCharsets.US_ASCII);

    assertThat(ServiceAnnouncement.parse(data, -1, 3)).isEmpty();
    assertThat(ServiceAnnouncement.parse(data, 1, 3)).isEmpty();
    assertThat(ServiceAnnouncement.parse(data, 0, -1)).isEmpty();
    assertThat(ServiceAnnouncement.parse(data, Integer.MAX_VALUE, 3)).isEmpty();
  }

  @Test
  void acceptsUpTo2048BytesAndNoMore() {
    String fields = "svc\nport=4000\nfiller=";
    byte[] atLimit = padTo(fields, DiscoveryProtocol.MAX_ACCEPTED_REPLY_BYTES);
    byte[] overLimit = padTo(fields, DiscoveryProtocol.MAX_ACCEPTED_REPLY_BYTES + 1);

    assertThat(ServiceAnnouncement.parse(atLimit))
        .contains(new ServiceAnnouncement("svc", 4000, 0));
    assertThat(ServiceAnnouncement.parse(overLimit)).isEmpty();
    assertThat(ServiceAnnouncement.parse(padTo(fields, 3000))).isEmpty();
  }

  private static byte[] padTo(String prefix, int length) {
    byte[] data = new byte[length];
    Arrays.fill(data, (byte) 'a');
    byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, data, 0, head.length);
    return data;
  }

  @Test
  void replacesInvalidUtf8() {
    byte[] data = {'a', (byte) 0xC3, 'b', (byte) 0xFF, '\n', 'p', 'o', 'r', 't', '=', '9'};

    assertThat(ServiceAnnouncement.parse(data))
        .contains(new ServiceAnnouncement("a\uFFFDb\uFFFD", 9, 0));
  }

  @Test
  void sanitisesControlCharactersInNames() {
    Optional<ServiceAnnouncement> parsed =
        parse("\u001B[2J\u001B]0;pwned\u0007Evil\u009B31m\u007F\tname\nport=4000\n");

    assertThat(parsed).isPresent();
    assertThat(parsed.get().name()).isEqualTo("?[2J?]0;pwned?Evil?31m??name");
    assertThat(parsed.get().name().chars()).noneMatch(Character::isISOControl);
  }

  @Test
  void truncatesLongNamesAtACharacterBoundary() {
    Optional<ServiceAnnouncement> ascii = parse("n".repeat(500));
    Optional<ServiceAnnouncement> wide = parse("😀".repeat(100) + "\nport=4000");

    assertThat(ascii).map(ServiceAnnouncement::name).contains("n".repeat(200));
    // 4 UTF-8 bytes each: 50 fit in 200 bytes, and no half surrogate pair is left behind.
    assertThat(wide).map(ServiceAnnouncement::name).contains("😀".repeat(50));
  }

  @Test
  void neverThrowsOnRandomBytes() {
    Random random = new Random(20240601L);
    byte[] alphabet = "SERVICE\n\r=portversion0123456789 \u001B".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 5000; i++) {
      byte[] data = new byte[random.nextInt(2100)];
      if (i % 2 == 0) {
        random.nextBytes(data);
      } else {
        // Mostly plausible text, to reach the key=value paths too.
        for (int j = 0; j < data.length; j++) {
          data[j] =
              random.nextInt(10) == 0
                  ? (byte) random.nextInt(256)
                  : alphabet[random.nextInt(alphabet.length)];
        }
      }
      int offset = data.length == 0 ? 0 : random.nextInt(data.length);
      int length = random.nextInt(data.length - offset + 1);

      ServiceAnnouncement.parse(data).ifPresent(ServiceAnnouncementTest::assertValid);
      ServiceAnnouncement.parse(data, offset, length)
          .ifPresent(ServiceAnnouncementTest::assertValid);
    }
  }

  private static void assertValid(ServiceAnnouncement announcement) {
    // Whatever came in, what comes out is a valid announcement that survives a round trip.
    assertThat(ServiceAnnouncement.parse(announcement.encode())).contains(announcement);
  }

  @Test
  void constructorRejectsInvalidValues() {
    assertThatThrownBy(() -> new ServiceAnnouncement("", 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement(null, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement("a\nport=1", 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement("a\u001Bb", 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement(" padded ", 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement("bad\uD800", 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement("n".repeat(201), 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement("é".repeat(101), 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement("a", 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement("a", 65536, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAnnouncement("a", 1, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recognisesOnlyTheExactProbe() {
    assertThat(DiscoveryProtocol.isProbe("SERVICE DISCOVERY".getBytes(StandardCharsets.US_ASCII)))
        .isTrue();
    for (String other :
        new String[] {
          "SERVICE DISCOVERY\n", "service discovery", "", "SERVICE DISCOVER", " SERVICE DISCOVERY"
        }) {
      assertThat(DiscoveryProtocol.isProbe(other.getBytes(StandardCharsets.US_ASCII)))
          .as(other)
          .isFalse();
    }
    assertThat(DiscoveryProtocol.isProbe((byte[]) null)).isFalse();
  }

  @Test
  void recognisesTheProbeInAByteBufWithoutConsumingIt() {
    ByteBuf buf = Unpooled.buffer();
    try {
      buf.writeBytes("xxSERVICE DISCOVERY".getBytes(StandardCharsets.US_ASCII));
      buf.skipBytes(2);

      assertThat(DiscoveryProtocol.isProbe(buf)).isTrue();
      assertThat(buf.readerIndex()).isEqualTo(2);
      buf.writeByte('\n');
      assertThat(DiscoveryProtocol.isProbe(buf)).isFalse();
    } finally {
      buf.release();
    }
  }

  @Test
  void probeBytesAreACopy() {
    byte[] probe = DiscoveryProtocol.probeBytes();
    probe[0] = 'X';

    assertThat(DiscoveryProtocol.probeBytes())
        .isEqualTo("SERVICE DISCOVERY".getBytes(StandardCharsets.US_ASCII));
  }
}
