package io.aigw.e2e.extproc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP requests to the gateway, for tests that send many. */
final class Requests {

  static final String CHAT_BASIC =
      "{\"messages\":[{\"content\":\"Hello!\",\"role\":\"user\"}],\"model\":\"gpt-5-nano\"}";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String baseUrl;

  Requests(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  private HttpRequest chat(String body) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  HttpResponse<String> chat() throws IOException, InterruptedException {
    return http.send(chat(CHAT_BASIC), HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> chatAsync() {
    return http.sendAsync(chat(CHAT_BASIC), HttpResponse.BodyHandlers.ofString());
  }
}
