package dev.fileshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RuntimeDefaultsTest {
  private Properties saved;

  @BeforeEach
  void save() {
    saved = (Properties) System.getProperties().clone();
    System.clearProperty(RuntimeDefaults.SHOW_DATE_TIME);
    System.clearProperty(RuntimeDefaults.DATE_TIME_FORMAT);
    System.clearProperty(RuntimeDefaults.NETTY_JFR_EVENTS);
  }

  @AfterEach
  void restore() {
    System.setProperties(saved);
  }

  @Test
  void aServerLogsTheTimeOfDay() {
    RuntimeDefaults.apply(new String[] {"server", "--dir", "x"});

    assertThat(System.getProperty(RuntimeDefaults.SHOW_DATE_TIME)).isEqualTo("true");
    assertThat(System.getProperty(RuntimeDefaults.DATE_TIME_FORMAT))
        .isEqualTo("yyyy-MM-dd HH:mm:ss");
  }

  @Test
  void oneShotCommandsSkipTheDateFormat() {
    RuntimeDefaults.apply(new String[] {"list", "host"});
    RuntimeDefaults.apply(new String[] {"get", "server", "x"});
    RuntimeDefaults.apply(new String[] {});

    assertThat(System.getProperty(RuntimeDefaults.SHOW_DATE_TIME)).isNull();
    assertThat(System.getProperty(RuntimeDefaults.DATE_TIME_FORMAT)).isNull();
  }

  @Test
  void aUsersOwnFormatIsKept() {
    System.setProperty(RuntimeDefaults.DATE_TIME_FORMAT, "HH:mm");

    RuntimeDefaults.apply(new String[] {"server"});

    assertThat(System.getProperty(RuntimeDefaults.DATE_TIME_FORMAT)).isEqualTo("HH:mm");
  }

  @Test
  void turnsOffNettysFlightRecorderEvents() {
    RuntimeDefaults.apply(new String[] {"list", "host"});

    assertThat(System.getProperty(RuntimeDefaults.NETTY_JFR_EVENTS)).isEqualTo("false");
  }

  @Test
  void keepsAUsersOwnNettySetting() {
    System.setProperty(RuntimeDefaults.NETTY_JFR_EVENTS, "true");

    RuntimeDefaults.apply(new String[] {"server"});

    assertThat(System.getProperty(RuntimeDefaults.NETTY_JFR_EVENTS)).isEqualTo("true");
  }
}
