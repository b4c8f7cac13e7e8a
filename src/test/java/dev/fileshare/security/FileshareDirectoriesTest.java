package dev.fileshare.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileshareDirectoriesTest {
  private static final Path HOME = Path.of("/home/ana");

  @Test
  void withoutXdgVariablesTheHomeDirectoryDecides() {
    assertThat(FileshareDirectories.defaultStateDir(Map.of(), HOME))
        .isEqualTo(Path.of("/home/ana/.local/state/fileshare"));
    assertThat(FileshareDirectories.defaultConfigDir(Map.of(), HOME))
        .isEqualTo(Path.of("/home/ana/.config/fileshare"));
  }

  @Test
  void absoluteXdgVariablesAreFollowed() {
    Map<String, String> env = Map.of("XDG_STATE_HOME", "/var/st", "XDG_CONFIG_HOME", "/etc/cfg");
    assertThat(FileshareDirectories.defaultStateDir(env, HOME))
        .isEqualTo(Path.of("/var/st/fileshare"));
    assertThat(FileshareDirectories.defaultConfigDir(env, HOME))
        .isEqualTo(Path.of("/etc/cfg/fileshare"));
  }

  @Test
  void emptyOrRelativeXdgVariablesAreIgnored() {
    Map<String, String> empty = Map.of("XDG_STATE_HOME", "", "XDG_CONFIG_HOME", "");
    Map<String, String> relative = Map.of("XDG_STATE_HOME", "st", "XDG_CONFIG_HOME", "./cfg");
    for (Map<String, String> env : java.util.List.of(empty, relative)) {
      assertThat(FileshareDirectories.defaultStateDir(env, HOME))
          .isEqualTo(Path.of("/home/ana/.local/state/fileshare"));
      assertThat(FileshareDirectories.defaultConfigDir(env, HOME))
          .isEqualTo(Path.of("/home/ana/.config/fileshare"));
    }
  }

  @Test
  void theDefaultsAreAbsolute() {
    assertThat(FileshareDirectories.defaultStateDir()).isAbsolute().hasFileName("fileshare");
    assertThat(FileshareDirectories.defaultConfigDir()).isAbsolute().hasFileName("fileshare");
  }
}
