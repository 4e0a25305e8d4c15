package io.aigw.admin.tls;

/** TLS files that cannot be served; the message names the option and the file. */
public final class TlsFilesException extends Exception {

  public TlsFilesException(String message) {
    super(message);
  }
}
