package io.aigw.core.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a multi-document YAML text the way kubectl does: every non-empty document is one object;
 * empty documents (a lone {@code ---}, comments only) are skipped. Each document keeps the line it
 * starts on, so errors can point at it.
 */
public final class YamlDocuments {

  /**
   * The longest text read, in code points. SnakeYAML's own limit, 3 MiB, refused a manifest of a
   * few thousand routes, which is a plausible file for a platform team; each object is still small.
   */
  public static final int MAX_CODE_POINTS = 32 * 1024 * 1024;

  // the builder leaves EMPTY_STRING_AS_NULL off where new YAMLFactory() has it on: without it an
  // empty document (a trailing ---) reads as "" instead of nothing
  // a key given twice is refused, as kubectl refuses it: read, the last would silently win
  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .loaderOptions(loaderOptions())
                  .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CODE_POINTS);
    return options;
  }

  private static final java.util.regex.Pattern DUPLICATE_KEY =
      java.util.regex.Pattern.compile("Duplicate field '([^']{1,253})'");

  private YamlDocuments() {}

  /** One document of a file and the 1-based line it starts on. */
  public record Document(JsonNode node, int line) {}

  /** The whole text could not be read; {@code line} is 1-based (0 when unknown). */
  public static final class YamlSyntaxException extends Exception {
    private final int line;

    public YamlSyntaxException(String message, int line, Throwable cause) {
      super(message, cause);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  /** Parses every document; any syntax error fails the whole text (nothing half-read). */
  public static List<Document> parse(String text) throws YamlSyntaxException {
    List<Document> documents = new ArrayList<>();
    List<String> lines = text.lines().toList();
    try (MappingIterator<JsonNode> values = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (values.hasNextValue()) {
        int line = firstContentLine(lines, values.getParser().currentTokenLocation().getLineNr());
        JsonNode node = values.nextValue();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          documents.add(new Document(node, line));
        }
      }
    } catch (IOException | RuntimeException e) {
      MarkedYAMLException marked = marked(e);
      if (marked != null && marked.getProblem() != null && marked.getProblemMark() != null) {
        // an error at the end of the text is on its last line, not the one after it
        int line = Math.max(1, Math.min(marked.getProblemMark().getLine() + 1, lines.size()));
        throw new YamlSyntaxException(describe(marked, line), line, e);
      }
      throw new YamlSyntaxException(describe(e), lineOf(e), e);
    }
    return documents;
  }

  /**
   * The parser places a document at its {@code ---} marker; users look for the object's first line,
   * so skip the marker, blank lines and comments.
   */
  private static int firstContentLine(List<String> lines, int reported) {
    int line = Math.max(reported, 1);
    while (line <= lines.size()) {
      String text = lines.get(line - 1).strip();
      if (!text.isEmpty() && !text.startsWith("#") && !text.startsWith("---")) {
        break;
      }
      line++;
    }
    return line > lines.size() ? reported : line;
  }

  private static int lineOf(Exception e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
      JsonLocation location = jpe.getLocation();
      if (location != null && location.getLineNr() > 0) {
        return location.getLineNr();
      }
    }
    return 0;
  }

  private static MarkedYAMLException marked(Throwable e) {
    for (Throwable at = e; at != null; at = at.getCause()) {
      if (at instanceof MarkedYAMLException marked) {
        return marked;
      }
    }
    return null;
  }

  /**
   * What is wrong and where the parser was: {@code could not find expected ':' (while scanning a
   * simple key from line 11)}. The scanner's excerpt of the text is left out, and so is any part of
   * its problem that quotes the text ({@code but found: sers\svc}, {@code character '@'}): the text
   * could be a Secret's value, and the message goes into the log for good.
   */
  private static String describe(MarkedYAMLException e, int line) {
    Optional<String> problem = problemWithoutText(e.getProblem().strip());
    String context = e.getContext() == null ? "" : e.getContext().strip();
    Mark from = e.getContextMark();
    String where =
        from != null && from.getLine() + 1 != line ? " from line " + (from.getLine() + 1) : "";
    if (problem.isEmpty()) {
      return context.isEmpty() ? "the text is not valid YAML" : context + where;
    }
    return context.isEmpty() ? problem.get() : problem.get() + " (" + context + where + ")";
  }

  /**
   * The scanner's problem in words that quote none of the text, when it is one whose wording is
   * known; empty otherwise.
   */
  static Optional<String> problemWithoutText(String problem) {
    if (problem.startsWith("found character")) {
      return Optional.of(
          problem.contains("(TAB)")
              ? "found a tab, which cannot start a token (indent with spaces)"
              : "found a character that cannot start a token");
    }
    if (problem.startsWith("found unknown escape character")) {
      return Optional.of("found an unknown escape sequence in a double-quoted string");
    }
    for (String known :
        List.of(
            "found unexpected end of stream",
            "mapping values are not allowed here",
            "could not find expected ':'")) {
      if (problem.startsWith(known)) {
        return Optional.of(known);
      }
    }
    if (problem.startsWith("expected ")) {
      // "expected <block end>, but found '<scalar>'": what it expected is grammar, what it found
      // may be text
      int but = problem.indexOf(" but ");
      String expected = but < 0 ? problem : problem.substring(0, but);
      expected = expected.endsWith(",") ? expected.substring(0, expected.length() - 1) : expected;
      return expected.contains("found") ? Optional.empty() : Optional.of(expected);
    }
    return Optional.empty();
  }

  /**
   * A failure that is not the scanner's: a tagged value that does not convert ({@code !!float sk-…}
   * is "Malformed numeric value 'sk-…'"), the reader's own. Its first words up to any quote,
   * parenthesis or colon, which is where such messages start quoting the text.
   */
  private static String describe(Exception e) {
    String message =
        e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
            ? jpe.getOriginalMessage()
            : e.getMessage();
    if (message != null && message.startsWith("The incoming YAML document exceeds the limit")) {
      return "the file is longer than " + MAX_CODE_POINTS + " characters";
    }
    java.util.regex.Matcher duplicate = DUPLICATE_KEY.matcher(message == null ? "" : message);
    if (duplicate.lookingAt()) {
      // a key's name, never a value: a Secret's key names are not secret
      return "the key '" + duplicate.group(1) + "' is given twice in one mapping";
    }
    String words = message == null ? "" : message.split("['\"(:\r\n`]", 2)[0].strip();
    return words.isEmpty() ? "the text is not valid YAML" : words;
  }

  /** Writes objects as multi-document YAML, each document introduced by {@code ---}. */
  public static String write(List<? extends JsonNode> nodes) {
    StringBuilder out = new StringBuilder();
    for (JsonNode node : nodes) {
      out.append(YamlText.write(node));
    }
    return out.toString();
  }
}
