package dev.fileshare.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** No name, however hostile, resolves to anything but a direct child of the shared directory. */
class NameResolutionFuzzTest {
  private static final SharedDirectory SHARED = open();

  @FuzzTest(maxDuration = "30s")
  void resolvesInsideOrRefuses(String name) {
    try {
      Path path = SHARED.resolve(name);
      assertThat(path.getParent()).isEqualTo(SHARED.root());
      assertThat(path.normalize()).isEqualTo(path);
    } catch (FileshareException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NAME);
    }
  }

  private static SharedDirectory open() {
    try {
      Path dir = Files.createTempDirectory("fileshare-fuzz");
      dir.toFile().deleteOnExit(); // resolving creates nothing in it
      return SharedDirectory.open(dir);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
