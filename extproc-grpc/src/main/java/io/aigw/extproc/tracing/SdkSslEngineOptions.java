package io.aigw.extproc.tracing;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * TLS for Vert.x's HTTP client from the {@link SSLContext} the OpenTelemetry SDK builds out of the
 * {@code OTEL_EXPORTER_OTLP_*} certificate settings: the collector's CA and, when set, the client
 * certificate and key, which the SDK hands its senders only inside that context. Vert.x still
 * negotiates ALPN ({@code h2}) and checks the host name; the key and trust material are the SDK's.
 */
final class SdkSslEngineOptions extends SSLEngineOptions {

  private final SSLContext context;

  SdkSslEngineOptions(SSLContext context) {
    this.context = context;
  }

  private SdkSslEngineOptions(SdkSslEngineOptions other) {
    super(other);
    this.context = other.context;
  }

  @Override
  public SSLEngineOptions copy() {
    return new SdkSslEngineOptions(this);
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new Factory(context);
  }

  /** Makes Netty's context over the SDK's, as a client, with the ALPN Vert.x asks for. */
  private static final class Factory implements SslContextFactory {

    private final SSLContext context;
    private boolean useAlpn;
    private List<String> protocols = List.of();
    private Set<String> cipherSuites = Set.of();

    Factory(SSLContext context) {
      this.context = context;
    }

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      this.useAlpn = useAlpn;
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> protocols) {
      this.protocols = protocols == null ? List.of() : List.copyOf(protocols);
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
      this.cipherSuites = cipherSuites == null ? Set.of() : Set.copyOf(cipherSuites);
      return this;
    }

    @Override
    public SslContext create() {
      ApplicationProtocolConfig alpn =
          useAlpn && !protocols.isEmpty()
              ? new ApplicationProtocolConfig(
                  ApplicationProtocolConfig.Protocol.ALPN,
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                  protocols)
              : ApplicationProtocolConfig.DISABLED;
      // the JDK's own suites, as Vert.x offers them, not Netty's shorter default list
      List<String> ciphers =
          cipherSuites.isEmpty()
              ? Arrays.asList(context.getDefaultSSLParameters().getCipherSuites())
              : List.copyOf(cipherSuites);
      return new JdkSslContext(
          context,
          true,
          ciphers,
          SupportedCipherSuiteFilter.INSTANCE,
          alpn,
          ClientAuth.NONE,
          null,
          false);
    }
  }
}
