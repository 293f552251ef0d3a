package org.reelbox.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;

/** Checks an error answer: status, JSON content type, and exactly {"error", "message"}. */
final class ApiAssertions {
  private ApiAssertions() {}

  static JsonNode assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("application/json");
    JsonNode body = TestControlPlane.json(response);
    assertThat(body.get("error").asText()).as("error code of %s", response.body()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(body.size()).as("fields of %s", response.body()).isEqualTo(2);
    return body;
  }
}
