package org.reelbox.control.api;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Server-Sent Events client over the JDK HttpClient: a thread reads lines into a queue,
 * and the test takes whole events (or the end of the stream) with a timeout.
 */
final class SseClient implements AutoCloseable {
  /** One dispatched event. */
  record Event(String event, String id, String data) {}

  private static final String END = "\u0000end";

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final Thread reader;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  static SseClient open(HttpClient client, URI uri, String apiKey, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    headers.forEach(request::header);
    return new SseClient(client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  HttpResponse<InputStream> response() {
    return response;
  }

  int status() {
    return response.statusCode();
  }

  /** How many comment lines (heartbeats) arrived so far. */
  int comments() {
    return comments.get();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith(":")) {
          comments.incrementAndGet();
        } else {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      // Closed by the test, or the connection dropped: either way the stream is over.
    } finally {
      lines.add(END);
    }
  }

  /**
   * The next event, skipping blank lines that dispatch nothing (the ones after comments).
   *
   * @throws AssertionError if none arrives in time or the stream ends first
   */
  Event next(Duration timeout) throws InterruptedException {
    String event = null;
    String id = null;
    StringBuilder data = null;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no event within " + timeout);
      }
      if (line.equals(END)) {
        lines.add(END);
        throw new AssertionError("the stream ended before the next event");
      }
      if (line.isEmpty()) {
        if (data != null) {
          return new Event(event, id, data.toString());
        }
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
      switch (field) {
        case "event" -> event = value;
        case "id" -> id = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> throw new AssertionError("unexpected field in line '" + line + "'");
      }
    }
  }

  /** Whether the server ended the stream within {@code timeout}, with no event left unread. */
  boolean endsWithin(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String line;
    do {
      // Blank lines alone (after heartbeats) dispatch nothing.
      line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } while (line != null && line.isEmpty());
    if (line == null) {
      return false;
    }
    if (!line.equals(END)) {
      throw new AssertionError("expected the end of the stream, got '" + line + "'");
    }
    lines.add(END);
    return true;
  }

  /** Hangs up: closes the body, which closes the connection. */
  @Override
  public void close() throws IOException {
    response.body().close();
  }
}
