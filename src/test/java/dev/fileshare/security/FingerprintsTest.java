package dev.fileshare.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTest {
  private static final String CANONICAL =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @Test
  void peopleMayWriteItTheirWay() {
    String colons = String.join(":", CANONICAL.toUpperCase().split("(?<=\\G..)"));
    assertThat(Fingerprints.normalize(colons)).isEqualTo(CANONICAL);
    assertThat(Fingerprints.normalize(" SHA256:" + CANONICAL + "\t")).isEqualTo(CANONICAL);
    assertThat(Fingerprints.normalize("sha256:" + colons)).isEqualTo(CANONICAL);
    assertThat(Fingerprints.normalize("01:23" + CANONICAL.substring(4))).isEqualTo(CANONICAL);
    assertThat(Fingerprints.normalize(CANONICAL)).isEqualTo(CANONICAL);
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(Fingerprints.isValid(CANONICAL.substring(1))).isFalse();
    assertThat(Fingerprints.isValid(CANONICAL + "0")).isFalse();
    assertThat(Fingerprints.isValid(CANONICAL + "00")).isFalse();
    assertThat(Fingerprints.isValid("g" + CANONICAL.substring(1))).isFalse();
    assertThat(Fingerprints.isValid("\uFF10" + CANONICAL.substring(1))).as("fullwidth 0").isFalse();
    assertThat(Fingerprints.isValid(":" + CANONICAL)).isFalse();
    assertThat(Fingerprints.isValid(CANONICAL + ":")).isFalse();
    assertThat(Fingerprints.isValid("0:1" + CANONICAL.substring(2))).isFalse();
    assertThat(Fingerprints.isValid("01::23" + CANONICAL.substring(4))).isFalse();
    assertThat(Fingerprints.isValid("md5:" + CANONICAL)).isFalse();
    assertThat(Fingerprints.isValid("")).isFalse();
    assertThat(Fingerprints.isValid(null)).isFalse();
  }

  @Test
  void theRefusalIsOneLineOfUsageError() {
    assertThatThrownBy(() -> Fingerprints.normalize("nope\nsecond line"))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
        .hasMessageStartingWith("not a SHA-256 fingerprint: nope?second line")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> Fingerprints.normalize("x".repeat(10_000)))
        .message()
        .hasSizeLessThan(200);
  }

  @Test
  void ofIsTheSha256OfTheDerEncoding(@TempDir Path dir) throws Exception {
    X509Certificate certificate = ServerIdentity.loadOrCreate(dir, "x").certificate();
    String independent =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    assertThat(Fingerprints.of(certificate)).isEqualTo(independent).matches("[0-9a-f]{64}");
  }
}
