package io.aigw.deploy.cli;

import picocli.CommandLine.IVersionProvider;

/** The version baked into the jar's manifest (falls back to "dev" when run from classes). */
public final class AigwVersion implements IVersionProvider {

  public static String current() {
    String version = AigwVersion.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"aigw " + current()};
  }
}
