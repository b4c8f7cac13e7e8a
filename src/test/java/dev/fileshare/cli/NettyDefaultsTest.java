package dev.fileshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
  private Properties saved;

  @BeforeEach
  void save() {
    saved = (Properties) System.getProperties().clone();
    System.clearProperty(NettyDefaults.JFR_EVENTS);
  }

  @AfterEach
  void restore() {
    System.setProperties(saved);
  }

  @Test
  void turnsOffNettysFlightRecorderEvents() {
    NettyDefaults.apply();

    assertThat(System.getProperty(NettyDefaults.JFR_EVENTS)).isEqualTo("false");
  }

  @Test
  void keepsAUsersOwnSetting() {
    System.setProperty(NettyDefaults.JFR_EVENTS, "true");

    NettyDefaults.apply();

    assertThat(System.getProperty(NettyDefaults.JFR_EVENTS)).isEqualTo("true");
  }
}
