package dev.fileshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemotePatternsTest {
  private static final List<FileInfo> FILES =
      List.of(file("a.txt"), file("b.txt"), file("c.pdf"), file("notes [draft].md"));

  private final List<FileshareException> unmatched = new ArrayList<>();
  private int listings;

  @Test
  void plainNamesPassThroughWithoutAListing() {
    assertThat(expand("a.txt", "zzz")).containsExactly("a.txt", "zzz");
    assertThat(listings).isZero();
  }

  @Test
  void patternsExpandInListingOrderEachNameOnce() {
    assertThat(expand("*.txt", "a.txt", "?.pdf", "*"))
        .containsExactly("a.txt", "b.txt", "c.pdf", "notes [draft].md");
    assertThat(listings).isEqualTo(1);
    assertThat(unmatched).isEmpty();
  }

  @Test
  void bracketsMatchOneCharacterOfASet() {
    assertThat(expand("[ab].txt")).containsExactly("a.txt", "b.txt");
  }

  @Test
  void aPatternMatchingNothingIsReported() {
    assertThat(expand("*.doc", "a.txt")).containsExactly("a.txt");
    assertThat(unmatched)
        .singleElement()
        .satisfies(
            e -> assertThat(e.getMessage()).isEqualTo("no file on the server matches *.doc"));
  }

  private List<String> expand(String... names) {
    return RemotePatterns.expand(
        List.of(names),
        () -> {
          listings++;
          return FILES;
        },
        unmatched::add);
  }

  private static FileInfo file(String name) {
    return new FileInfo(name, 1, 0);
  }
}
