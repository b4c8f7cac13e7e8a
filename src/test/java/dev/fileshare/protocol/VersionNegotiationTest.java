package dev.fileshare.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import org.junit.jupiter.api.Test;

class VersionNegotiationTest {
  @Test
  void aClientOfTheSameVersionGetsIt() {
    assertThat(VersionNegotiation.choose(1)).isEqualTo(1);
  }

  @Test
  void aNewerClientIsAnsweredInOurVersion() {
    assertThat(VersionNegotiation.choose(7)).isEqualTo(ProtocolLimits.VERSION);
  }

  @Test
  void versionThreeVerifiesWithXxh3AndOlderOnesWithSha256() {
    assertThat(VersionNegotiation.digestAlgorithm(1)).isEqualTo(DigestAlgorithm.SHA_256);
    assertThat(VersionNegotiation.digestAlgorithm(2)).isEqualTo(DigestAlgorithm.SHA_256);
    assertThat(VersionNegotiation.digestAlgorithm(3)).isEqualTo(DigestAlgorithm.XXH3_128);
    assertThat(VersionNegotiation.digestAlgorithm(ProtocolLimits.VERSION))
        .isEqualTo(DigestAlgorithm.XXH3_128);
  }

  @Test
  void versionZeroIsRefused() {
    assertThatThrownBy(() -> VersionNegotiation.choose(0))
        .isInstanceOfSatisfying(
            FileshareException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION));
  }
}
