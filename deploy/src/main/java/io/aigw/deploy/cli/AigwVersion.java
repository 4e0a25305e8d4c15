package io.aigw.deploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version the build wrote into {@code aigw-version.properties}: the same in the jar and in the
 * image, whose classes jib lays out without the jar's manifest.
 */
public final class AigwVersion implements IVersionProvider {

  private static final String VERSION = read();

  public static String current() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = AigwVersion.class.getResourceAsStream("aigw-version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "dev");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"aigw " + current()};
  }
}
