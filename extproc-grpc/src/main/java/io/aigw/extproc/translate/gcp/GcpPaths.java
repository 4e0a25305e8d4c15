package io.aigw.extproc.translate.gcp;

import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.extproc.translate.RequestPlan;

/** Vertex AI paths: {@code /v1/projects/{project}/locations/{region}/publishers/…}. */
public final class GcpPaths {

  private GcpPaths() {}

  /** The path of {@code suffix} (e.g. {@code publishers/google/models/m:generateContent}). */
  public static String of(RequestPlan plan, String suffix) {
    String project = "";
    String region = "";
    if (plan.auth().orElse(null) instanceof BackendAuth.Gcp gcp) {
      project = gcp.projectName();
      region = gcp.region();
    }
    return "/v1/projects/" + project + "/locations/" + region + "/" + suffix;
  }
}
