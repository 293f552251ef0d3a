package org.reelbox.edge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small origin for the edge's tests, on a raw loopback socket so that every failure can be
 * staged: serves {@code /v/{rel}} and {@code /t/{token}/v/{rel}} from a map, counts fetches per
 * object, and can answer 500, wait before its headers, or break a body midway. One request per
 * connection ({@code Connection: close}).
 */
final class TestOrigin implements AutoCloseable {
  enum Mode {
    OK,
    ERROR_500,
    SLOW_HEADERS,
    BREAK_MIDWAY,
    /** The body in 10 pieces, 200 ms apart: slow but steady. */
    SLOW_BODY,
    /** Half the body, then nothing for 3 s, then the rest. */
    STALL_MIDWAY
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final Map<String, String> cacheControl = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
  final List<String> tokensSeen = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.OK;
  private volatile long delayMs = 0;
  private volatile boolean closed;

  TestOrigin() throws IOException {
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  TestOrigin put(String rel, byte[] body) {
    objects.put(rel, body);
    return this;
  }

  TestOrigin put(String rel, byte[] body, String cc) {
    objects.put(rel, body);
    cacheControl.put(rel, cc);
    return this;
  }

  void mode(Mode m) {
    mode = m;
  }

  /** Delay before the headers of every answer (any mode). */
  void delayMs(long ms) {
    delayMs = ms;
  }

  int fetches(String rel) {
    AtomicInteger n = fetches.get(rel);
    return n == null ? 0 : n.get();
  }

  int totalFetches() {
    return fetches.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        threads.execute(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      var in =
          new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String line = in.readLine();
      if (line == null) {
        return;
      }
      String header;
      while ((header = in.readLine()) != null && !header.isEmpty()) {
        // headers are not needed
      }
      String target = line.split(" ")[1];
      String rel;
      if (target.startsWith("/t/")) {
        int v = target.indexOf("/v/", 3);
        tokensSeen.add(target.substring(3, v));
        rel = target.substring(v + 3);
      } else {
        rel = target.substring(3);
      }
      fetches.computeIfAbsent(rel, k -> new AtomicInteger()).incrementAndGet();
      long delay = delayMs;
      Mode m = mode;
      if (m == Mode.SLOW_HEADERS && delay == 0) {
        delay = 10_000;
      }
      if (delay > 0) {
        Thread.sleep(delay);
      }
      OutputStream out = s.getOutputStream();
      if (m == Mode.ERROR_500) {
        write(
            out,
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        return;
      }
      byte[] body = objects.get(rel);
      if (body == null) {
        write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        return;
      }
      String type =
          rel.endsWith(".m3u8")
              ? "application/vnd.apple.mpegurl"
              : rel.endsWith(".ts") ? "video/mp2t" : "application/octet-stream";
      String cc =
          cacheControl.getOrDefault(
              rel,
              rel.endsWith(".m3u8") ? "public, max-age=60" : "public, max-age=31536000, immutable");
      write(
          out,
          "HTTP/1.1 200 OK\r\nContent-Type: "
              + type
              + "\r\nContent-Length: "
              + body.length
              + "\r\nETag: \""
              + Integer.toHexString(java.util.Arrays.hashCode(body))
              + "\"\r\nLast-Modified: Tue, 03 Nov 2026 10:00:00 GMT\r\nCache-Control: "
              + cc
              + "\r\nConnection: close\r\n\r\n");
      if (m == Mode.BREAK_MIDWAY) {
        out.write(body, 0, body.length / 2);
        out.flush();
        Thread.sleep(50);
        s.setSoLinger(true, 0); // reset: the body ends early
        return;
      }
      if (m == Mode.SLOW_BODY || m == Mode.STALL_MIDWAY) {
        int pieces = m == Mode.SLOW_BODY ? 10 : 2;
        int step = (body.length + pieces - 1) / pieces;
        for (int off = 0; off < body.length; off += step) {
          out.write(body, off, Math.min(step, body.length - off));
          out.flush();
          Thread.sleep(m == Mode.SLOW_BODY ? 200 : 3000);
        }
        return;
      }
      out.write(body);
      out.flush();
    } catch (IOException | InterruptedException e) {
      // the client went away, or the test ends
    }
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    threads.shutdownNow();
  }
}
