package dev.fileshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupWarmerTest {
  @Test
  void loadsTheTlsEngineOnlyForClientsThatUseIt() {
    assertThat(StartupWarmer.connectsByTls(new String[] {"list", "host"})).isTrue();
    assertThat(StartupWarmer.connectsByTls(new String[] {"get", "host", "a", "b"})).isTrue();
    assertThat(StartupWarmer.connectsByTls(new String[] {"client"})).isTrue();
    assertThat(StartupWarmer.connectsByTls(new String[] {"put", "--plain", "host", "f"})).isFalse();
    assertThat(StartupWarmer.connectsByTls(new String[] {"server"})).isFalse();
    assertThat(StartupWarmer.connectsByTls(new String[] {"scan"})).isFalse();
    assertThat(StartupWarmer.connectsByTls(new String[] {})).isFalse();
  }
}
