package dev.fileshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

  static Stream<Arguments> hostileNames() {
    return Stream.of(
        Arguments.of("", "empty"),
        Arguments.of(".", "directories"),
        Arguments.of("..", "directories"),
        Arguments.of("../x", "path separators"),
        Arguments.of("a/b", "path separators"),
        Arguments.of("/etc/passwd", "path separators"),
        Arguments.of("a\\b", "path separators"),
        Arguments.of("a\u0000b", "control characters"),
        Arguments.of("a\nb", "control characters"),
        Arguments.of("\u001b[31m", "control characters"),
        Arguments.of("\u0085", "control characters"),
        Arguments.of("x\u2028y", "control characters"),
        Arguments.of("x\u007f", "control characters"),
        Arguments.of("a".repeat(256), "256 bytes"),
        Arguments.of("é".repeat(128), "256 bytes"),
        Arguments.of("🎉".repeat(64), "256 bytes"),
        Arguments.of(".fileshare-tmp-x", "reserved"),
        Arguments.of(".fileshare-anything", "reserved"),
        Arguments.of("bad\uD800name", "not valid Unicode"),
        Arguments.of("\uDC00", "not valid Unicode"),
        Arguments.of("end\uD83C", "not valid Unicode"));
  }

  @ParameterizedTest
  @MethodSource("hostileNames")
  void refusesHostileNames(String name, String reason) {
    assertThat(FileNames.isValid(name)).isFalse();
    assertThatThrownBy(() -> FileNames.requireValid(name))
        .isInstanceOf(FileshareException.class)
        .hasMessageStartingWith("invalid file name")
        .hasMessageContaining(reason)
        .extracting(e -> ((FileshareException) e).code())
        .isEqualTo(ErrorCode.INVALID_NAME);
  }

  @Test
  void refusesNull() {
    assertThat(FileNames.isValid(null)).isFalse();
    assertThatThrownBy(() -> FileNames.requireValid(null))
        .isInstanceOf(FileshareException.class)
        .hasMessage("invalid file name: the name is empty");
  }

  @Test
  void messageQuotesTheNameAndSaysWhy() {
    assertThatThrownBy(() -> FileNames.requireValid("../x"))
        .hasMessage("invalid file name \"../x\": path separators are not allowed");
  }

  @Test
  void messageNeverCarriesRawControlCharacters() {
    assertThatThrownBy(() -> FileNames.requireValid("\u001b[31mred\n"))
        .hasMessage(
            "invalid file name \"\\u001B[31mred\\u000A\": control characters are not allowed");
  }

  @Test
  void messageShortensLongNames() {
    assertThatThrownBy(() -> FileNames.requireValid("a".repeat(10_000)))
        .hasMessageContaining("a…\": it is 10000 bytes long in UTF-8; at most 255 are allowed")
        .message()
        .hasSizeLessThan(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"report.pdf", "with space.txt", "日本語.txt", "émoji 🎉.bin", ".hidden"})
  void acceptsOrdinaryNames(String name) {
    assertThat(FileNames.isValid(name)).isTrue();
    assertThat(FileNames.requireValid(name)).isSameAs(name);
  }

  @Test
  void acceptsNamesOfExactlyTheByteLimit() {
    String ascii = "a".repeat(FileNames.MAX_NAME_BYTES);
    String mixed = "é".repeat(127) + "a"; // 255 bytes in 128 characters
    assertThat(mixed.getBytes(StandardCharsets.UTF_8)).hasSize(255);
    assertThat(FileNames.requireValid(ascii)).isEqualTo(ascii);
    assertThat(FileNames.requireValid(mixed)).isEqualTo(mixed);
  }

  @Test
  void recognizesTemporaryFiles() {
    assertThat(FileNames.isTemporary(".fileshare-tmp-0123456789abcdef")).isTrue();
    assertThat(FileNames.isTemporary("report.pdf")).isFalse();
    assertThat(FileNames.isTemporary(".fileshare-other")).isFalse();
    assertThat(FileNames.isTemporary(null)).isFalse();
  }

  @Test
  void forDisplayEscapesWhatATerminalWouldActOn() {
    assertThat(FileNames.forDisplay("plain 日本語 🎉")).isEqualTo("plain 日本語 🎉");
    assertThat(FileNames.forDisplay("a\u202Eb\u200Bc\u2029d\uD800"))
        .isEqualTo("a\\u202Eb\\u200Bc\\u2029d\\uD800");
  }
}
