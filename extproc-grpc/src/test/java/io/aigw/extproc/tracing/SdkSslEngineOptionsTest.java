package io.aigw.extproc.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class SdkSslEngineOptionsTest {

  @Test
  void aClientContextOverTheSdksOffersTheJdksCipherSuitesAndH2() throws Exception {
    SSLContext jdk = SSLContext.getInstance("TLS");
    jdk.init(null, null, null);
    SslContext netty =
        new SdkSslEngineOptions(jdk)
            .copy()
            .sslContextFactory()
            .useAlpn(true)
            .applicationProtocols(List.of("h2"))
            .create();
    assertThat(netty.isClient()).isTrue();
    assertThat(netty.applicationProtocolNegotiator().protocols()).containsExactly("h2");
    // the JDK's suites, as Vert.x's own TLS offers them, not Netty's shorter default list
    assertThat(netty.cipherSuites())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.asList(jdk.getDefaultSSLParameters().getCipherSuites()))
        .contains("TLS_CHACHA20_POLY1305_SHA256");
  }
}
