package org.reelbox.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reelbox.common.security.ClusterAuth;

/**
 * A stand-in for the control plane's {@code POST /internal/videos/{id}/uploaded} (docs/upload.md
 * §3), the one endpoint ingest calls: checks the cluster header, records each call, and fails the
 * first {@link #failNext} calls with 500 to exercise the retries. It can be stopped and started
 * again on the same port, to play a control plane that is down.
 */
final class FakeControlPlane implements AutoCloseable {
  private static final Pattern PATH = Pattern.compile("/internal/videos/([^/]+)/uploaded");

  /** One call received. */
  record Call(String videoId, String body, int status) {}

  private final ClusterAuth auth;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private HttpServer server;
  private int port;

  FakeControlPlane(String clusterSecret) {
    this.auth = ClusterAuth.of(clusterSecret);
  }

  /** Starts on a free port, or on the port of the last start. */
  synchronized FakeControlPlane start() throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      try {
        server = HttpServer.create(address, 16);
        break;
      } catch (BindException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException(ie);
        }
      }
    }
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
    return this;
  }

  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** The base URL; the same across a stop and a start. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Answers the next {@code n} calls with 500. */
  void failNext(int n) {
    failures.set(n);
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls for {@code videoId} answered 200. */
  List<Call> acknowledged(String videoId) {
    return calls.stream().filter(c -> c.videoId().equals(videoId) && c.status() == 200).toList();
  }

  List<Call> callsFor(String videoId) {
    return calls.stream().filter(c -> c.videoId().equals(videoId)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
    int status;
    String answer = "";
    if (!m.matches() || !exchange.getRequestMethod().equals("POST")) {
      status = 404;
    } else if (!auth.isValid(exchange.getRequestHeaders().getFirst(ClusterAuth.HEADER_NAME))) {
      status = 401;
    } else if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      status = 500;
    } else {
      status = 200;
      answer = "{\"id\":\"" + m.group(1) + "\",\"state\":\"UPLOADED\"}";
    }
    calls.add(
        new Call(m.matches() ? m.group(1) : exchange.getRequestURI().getPath(), body, status));
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    stop();
  }
}
