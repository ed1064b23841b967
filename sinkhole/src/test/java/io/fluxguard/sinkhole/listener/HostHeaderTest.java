package io.fluxguard.sinkhole.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostHeaderTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "evil.example|evil.example",
        "evil.example:8080|evil.example",
        " evil.example |evil.example",
        "10.0.0.1:80|10.0.0.1",
        "[2001:db8::1]:443|2001:db8::1",
        "[2001:db8::1]|2001:db8::1",
        "2001:db8::1|2001:db8::1",
        "[2001:db8::1|2001:db8::1",
      })
  void withoutPort_hostAndPort_givesTheHost(String hostAndPort, String host) {
    assertThat(HostHeader.withoutPort(hostAndPort)).isEqualTo(host);
  }

  @Test
  void withoutPort_onlyAPort_givesNull() {
    assertThat(HostHeader.withoutPort(":80")).isNull();
    assertThat(HostHeader.withoutPort("[]:80")).isNull();
  }

  @Test
  void hostOf_noHostHeader_takesTheAbsoluteTarget() {
    HttpRequest request =
        new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "HTTP://user@evil.example:81/x?y");

    assertThat(HostHeader.hostOf(request)).isEqualTo("evil.example");
  }

  @Test
  void hostOf_neitherHeaderNorAbsoluteTarget_givesNull() {
    assertThat(HostHeader.hostOf(new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/"))).isNull();
  }
}
