package io.aigw.extproc.translate.openai;

import io.aigw.extproc.translate.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578), as OpenAI's audio endpoints take one: its parts
 * found by their names, read without copying the file, and one field's value replaced with every
 * other byte kept (a model override).
 */
public final class MultipartForm {

  private static final Pattern BOUNDARY =
      Pattern.compile("(?i);\\s*boundary=(?:\"([^\"]{1,200})\"|([^;\\s]{1,200}))");
  private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("(?i);\\s*filename=\"([^\"]*)\"");
  private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

  /** One part: its name, its file name when it is a file, and where its content lies. */
  public record Part(String name, Optional<String> filename, int start, int end) {}

  private final byte[] body;
  private final List<Part> parts;

  private MultipartForm(byte[] body, List<Part> parts) {
    this.body = body;
    this.parts = List.copyOf(parts);
  }

  /**
   * The form in {@code body} sent with {@code contentType}.
   *
   * @throws InvalidRequestException when the type is not multipart with a boundary, or the body is
   *     not such a form
   */
  public static MultipartForm parse(String contentType, byte[] body)
      throws InvalidRequestException {
    if (contentType == null
        || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw malformed("the body must be multipart/form-data");
    }
    Matcher boundary = BOUNDARY.matcher(contentType);
    if (!boundary.find()) {
      throw malformed("the multipart content type has no boundary");
    }
    String value = boundary.group(1) != null ? boundary.group(1) : boundary.group(2);
    byte[] delimiter = ("--" + value).getBytes(StandardCharsets.ISO_8859_1);
    byte[] closing = ("\r\n--" + value).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw malformed("the body holds no part of the multipart form");
    }
    while (true) {
      int lineEnd = at + delimiter.length;
      if (startsWith(body, lineEnd, "--")) {
        return new MultipartForm(body, parts);
      }
      // RFC 2046 lets spaces and tabs pad a boundary line
      while (lineEnd < body.length && (body[lineEnd] == ' ' || body[lineEnd] == '\t')) {
        lineEnd++;
      }
      if (!startsWith(body, lineEnd, "\r\n")) {
        throw malformed("a multipart boundary is not followed by a line break");
      }
      int headersEnd = indexOf(body, CRLF_CRLF, lineEnd + 2);
      if (headersEnd < 0) {
        throw malformed("the multipart form is cut short");
      }
      // an empty content has the next boundary's line break right after the headers
      int next = indexOf(body, closing, headersEnd + 4);
      if (next < 0) {
        throw malformed("the multipart form is cut short");
      }
      String headers =
          new String(body, lineEnd + 2, headersEnd - lineEnd - 2, StandardCharsets.UTF_8);
      parts.add(part(headers, headersEnd + 4, next));
      at = next + 2;
    }
  }

  private static Part part(String headers, int start, int end) throws InvalidRequestException {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("content-disposition")) {
        String disposition = line.substring(colon + 1);
        Matcher name = NAME.matcher(disposition);
        if (!name.find()) {
          break;
        }
        Matcher filename = FILENAME.matcher(disposition);
        return new Part(
            name.group(1),
            filename.find() ? Optional.of(filename.group(1)) : Optional.empty(),
            start,
            end);
      }
    }
    throw malformed("a part of the multipart form has no name");
  }

  /** How many parts are named {@code name}. */
  public long count(String name) {
    return parts.stream().filter(p -> p.name().equals(name)).count();
  }

  /** The first part named {@code name}. */
  public Optional<Part> part(String name) {
    return parts.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The text of the first field named {@code name}, when it is not a file. */
  public Optional<String> field(String name) {
    return part(name)
        .filter(p -> p.filename().isEmpty())
        .map(p -> new String(body, p.start(), p.end() - p.start(), StandardCharsets.UTF_8));
  }

  /** The body with the first field named {@code name} holding {@code value}, all else as it was. */
  public byte[] withField(String name, String value) {
    Part field = part(name).orElseThrow(() -> new IllegalArgumentException("no field " + name));
    byte[] replacement = value.getBytes(StandardCharsets.UTF_8);
    // one copy of a body that may be 25 MB
    byte[] out = new byte[body.length - (field.end() - field.start()) + replacement.length];
    System.arraycopy(body, 0, out, 0, field.start());
    System.arraycopy(replacement, 0, out, field.start(), replacement.length);
    System.arraycopy(
        body, field.end(), out, field.start() + replacement.length, body.length - field.end());
    return out;
  }

  private static boolean startsWith(byte[] body, int at, String text) {
    if (at + text.length() > body.length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (body[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where {@code sought} (a boundary line, 30 to 70 bytes) first occurs from {@code from}, by
   * Boyer-Moore-Horspool: most bytes of a 25 MB file are skipped, not compared, since the search
   * runs on the event loop.
   */
  private static int indexOf(byte[] body, byte[] sought, int from) {
    int m = sought.length;
    if (m == 0) {
      return Math.max(0, from);
    }
    int[] shift = new int[256];
    java.util.Arrays.fill(shift, m);
    for (int i = 0; i < m - 1; i++) {
      shift[sought[i] & 0xff] = m - 1 - i;
    }
    int at = Math.max(0, from);
    while (at <= body.length - m) {
      int j = m - 1;
      while (j >= 0 && body[at + j] == sought[j]) {
        j--;
      }
      if (j < 0) {
        return at;
      }
      at += shift[body[at + m - 1] & 0xff];
    }
    return -1;
  }

  private static InvalidRequestException malformed(String detail) {
    return new InvalidRequestException("invalid_multipart", "malformed request: " + detail);
  }
}
