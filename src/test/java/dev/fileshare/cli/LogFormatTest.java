package dev.fileshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogFormatTest {
  private Properties saved;

  @BeforeEach
  void save() {
    saved = (Properties) System.getProperties().clone();
    System.clearProperty(LogFormat.SHOW_DATE_TIME);
    System.clearProperty(LogFormat.DATE_TIME_FORMAT);
  }

  @AfterEach
  void restore() {
    System.setProperties(saved);
  }

  @Test
  void aServerLogsTheTimeOfDay() {
    LogFormat.configure(new String[] {"server", "--dir", "x"});

    assertThat(System.getProperty(LogFormat.SHOW_DATE_TIME)).isEqualTo("true");
    assertThat(System.getProperty(LogFormat.DATE_TIME_FORMAT)).isEqualTo("yyyy-MM-dd HH:mm:ss");
  }

  @Test
  void oneShotCommandsSkipTheDateFormat() {
    LogFormat.configure(new String[] {"list", "host"});
    LogFormat.configure(new String[] {"get", "server", "x"});
    LogFormat.configure(new String[] {});

    assertThat(System.getProperty(LogFormat.SHOW_DATE_TIME)).isNull();
    assertThat(System.getProperty(LogFormat.DATE_TIME_FORMAT)).isNull();
  }

  @Test
  void aUsersOwnFormatIsKept() {
    System.setProperty(LogFormat.DATE_TIME_FORMAT, "HH:mm");

    LogFormat.configure(new String[] {"server"});

    assertThat(System.getProperty(LogFormat.DATE_TIME_FORMAT)).isEqualTo("HH:mm");
  }
}
