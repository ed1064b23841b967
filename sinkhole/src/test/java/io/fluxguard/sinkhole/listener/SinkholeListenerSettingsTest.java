package io.fluxguard.sinkhole.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxguard.sinkhole.listener.SinkholeListenerSettings.Endpoint;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkholeListenerSettingsTest {

  @Test
  void defaults_listenNowhere() {
    assertThat(SinkholeListenerSettings.DEFAULTS.enabled()).isFalse();
    assertThat(SinkholeListenerSettings.DEFAULTS.maxHits()).isEqualTo(10_000);
  }

  @Test
  void constructor_severalBadValues_reportsEveryOneByKey() {
    InetSocketAddress port80 = new InetSocketAddress("127.0.0.1", 80);

    assertThatThrownBy(
            () -> new SinkholeListenerSettings(
                List.of(Endpoint.http(port80), Endpoint.tls(port80)), null, 0, Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sinkhole.listeners: 127.0.0.1:80 is listed twice")
        .hasMessageContaining("sinkhole.contact")
        .hasMessageContaining("sinkhole.max-hits: expected 1 to 10000000, got 0")
        .hasMessageContaining("sinkhole.idle-timeout: expected 10ms to 1h, got PT0S")
        .hasMessageContaining("sinkhole.max-connections: expected 1 to 1000000, got 0");
  }

  @Test
  void text_addresses_writtenAsOperatorsWriteThem() {
    assertThat(SinkholeListenerSettings.text(new InetSocketAddress("10.0.0.1", 80))).isEqualTo("10.0.0.1:80");
    assertThat(SinkholeListenerSettings.text(new InetSocketAddress("2001:db8::1", 443)))
        .isEqualTo("[2001:db8:0:0:0:0:0:1]:443");
  }

  @Test
  void constructor_portZeroTwice_allowed() {
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);

    assertThat(SinkholeListenerSettings.DEFAULTS.withListeners(List.of(Endpoint.http(any), Endpoint.tls(any)))
            .listeners())
        .hasSize(2);
  }
}
