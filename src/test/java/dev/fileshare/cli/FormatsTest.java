package dev.fileshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.client.TransferResult;
import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.FileInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void decimalsReadAsTheFormatterWritesThem() {
    double[] values = {
      0,
      0.04,
      0.05,
      0.949,
      0.95,
      0.96,
      1,
      9.95,
      9.96,
      99.99,
      999.95,
      1023.9,
      12.345,
      1e11,
      -2.5,
      // Ties in the shortest decimal form that are not ties in binary: rounding the binary value
      // (value * 100, rounded) gets these wrong.
      1.005,
      0.145,
      1771.6499999999999,
      3e15
    };
    for (double value : values) {
      for (int places = 0; places <= 3; places++) {
        assertReadsAsTheFormatterWrites(value, places);
      }
    }
  }

  @Test
  void decimalsAgreeWithTheFormatterOnManyRates() {
    SplittableRandom random = new SplittableRandom(20261124);
    for (int i = 0; i < 20_000; i++) {
      double value = random.nextDouble() * Math.pow(10, random.nextInt(7));
      int places = 1 + random.nextInt(2);
      assertReadsAsTheFormatterWrites(value, places);
    }
  }

  @Test
  void decimalsAgreeWithTheFormatterOnShortDecimalsWhereTiesAre() {
    // Values with few decimals sit on or next to the ties of every rounding place.
    for (int i = -30_000; i <= 30_000; i += 7) {
      for (double value : new double[] {i / 1000.0, i / 10_000.0, i / 8.0, i * 1.05}) {
        for (int places = 0; places <= 3; places++) {
          assertReadsAsTheFormatterWrites(value, places);
        }
      }
    }
  }

  private static void assertReadsAsTheFormatterWrites(double value, int places) {
    assertThat(Formats.decimal(value, places))
        .as("%s with %d places", value, places)
        .isEqualTo(String.format(Locale.ROOT, "%." + places + "f", value));
  }

  @Test
  void valuesThatAreNotNumbersStillPrint() {
    assertThat(Formats.decimal(Double.POSITIVE_INFINITY, 1)).isEqualTo("Infinity");
    assertThat(Formats.decimal(Double.NaN, 2)).isEqualTo("NaN");
  }

  @Test
  void sizesUseBinaryUnitsWithOneDecimal() {
    assertThat(Formats.size(0)).isEqualTo("0 B");
    assertThat(Formats.size(1023)).isEqualTo("1023 B");
    assertThat(Formats.size(1024)).isEqualTo("1.0 KiB");
    assertThat(Formats.size(1536)).isEqualTo("1.5 KiB");
    assertThat(Formats.size(1024L * 1024 - 1)).isEqualTo("1024.0 KiB");
    assertThat(Formats.size(3_435_973_837L)).isEqualTo("3.2 GiB");
  }

  @Test
  void aSummaryNamesTheFileItsSizeTimeAndRate() {
    TransferResult result =
        new TransferResult(
            TransferResult.Direction.DOWNLOAD,
            "report 1.pdf",
            12L << 20,
            Duration.ofMillis(210),
            DigestAlgorithm.XXH3_128,
            "00");

    assertThat(Formats.summary(result))
        .isEqualTo("got report 1.pdf: 12.0 MiB in 0.21 s, 59.9 MB/s");
  }

  @Test
  void aListingAlignsSizesAndEndsEachLine() {
    String listing =
        Formats.listing(
            List.of(new FileInfo("a b.txt", 17, 0), new FileInfo("big", 5L << 30, 0)), false);

    String[] lines = listing.split(System.lineSeparator());
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("        17 B  ").endsWith("  a b.txt");
    assertThat(lines[1]).startsWith("     5.0 GiB  ").endsWith("  big");
    assertThat(listing).endsWith(System.lineSeparator());
  }
}
