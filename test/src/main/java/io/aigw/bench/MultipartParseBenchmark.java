package io.aigw.bench;

import io.aigw.extproc.translate.openai.MultipartForm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * How long the ExtProc's event loop spends reading a transcription upload: a form with a file of
 * {@code mib} MiB (random bytes, as compressed audio is) and a model field, the boundary a UUID as
 * the OpenAI SDKs make it, parsed as the ExtProc parses it; the best of 20 parses, three times.
 * Arguments: {@code [mib=25]}.
 */
public final class MultipartParseBenchmark {

  private MultipartParseBenchmark() {}

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0].replace("mib=", "")) : 25;
    String boundary = "a7f3c9e2-5b1d-4c8e-9f0a-3d2b1e6c7a94";
    byte[] audio = new byte[mib * 1024 * 1024];
    new Random(1).nextBytes(audio);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(audio);
    out.writeBytes(
        ("\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    byte[] body = out.toByteArray();
    String type = "multipart/form-data; boundary=" + boundary;
    for (int round = 0; round < 3; round++) {
      long best = Long.MAX_VALUE;
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        MultipartForm form = MultipartForm.parse(type, body);
        if (!form.field("model").orElseThrow().equals("whisper-1")) {
          throw new AssertionError("the model field was not found");
        }
        best = Math.min(best, System.nanoTime() - start);
      }
      System.out.printf("parse of a %d MiB form: best of 20 = %.2f ms%n", mib, best / 1e6);
    }
  }
}
