package io.aigw.deploy.cli;

import io.aigw.admin.tls.TlsFiles;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * HTTPS on the admin port: {@code --admin-tls-cert} and {@code --admin-tls-key}, given together (an
 * argument group of {@code run} and {@code controller}, so picocli refuses one without the other).
 */
final class AdminTlsFlags {

  static final String CERT_FLAG = "--admin-tls-cert";
  static final String KEY_FLAG = "--admin-tls-key";

  @Option(
      names = CERT_FLAG,
      paramLabel = "FILE",
      required = true,
      description =
          "Serve the admin port over HTTPS with this PEM certificate chain, leaf first (tls.crt of"
              + " a kubernetes.io/tls Secret); read again when it changes")
  Path certificate;

  @Option(
      names = KEY_FLAG,
      paramLabel = "FILE",
      required = true,
      description = "The PEM private key of " + CERT_FLAG + " (tls.key), not encrypted")
  Path key;

  /** The files, when the group was given. */
  static Optional<TlsFiles> files(AdminTlsFlags flags) {
    return Optional.ofNullable(flags)
        .map(given -> new TlsFiles(given.certificate, given.key, CERT_FLAG, KEY_FLAG));
  }
}
