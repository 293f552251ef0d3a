package org.reelbox.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;

/** Config, tokens and an HTTP client for the edge's tests. */
final class EdgeFixtures {
  static final String SECRET = "edge-test-cluster-secret-0123456789abcdef";
  static final String VIDEO = "dQw4w9WgXcQ";
  static final String OTHER = "aaaaaaaaaaa";
  static final Tokens TOKENS = new Tokens(KeyRing.derivedFrom(SECRET), Clock.systemUTC());
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private EdgeFixtures() {}

  static EdgeConfig config(Path dataDir, String... origins) {
    return EdgeConfig.of(
            new HttpConfig("127.0.0.1", 0),
            dataDir.toString(),
            new ClusterConfig(SECRET, "http://127.0.0.1:1"),
            List.of(origins))
        .toBuilder()
        .cache(new EdgeConfig.Cache(64L << 20, 64L << 20, 8))
        .memory(new EdgeConfig.Memory(16L << 20, 8L << 20))
        .prefetch(new EdgeConfig.Prefetch(0, 20, 2))
        .build();
  }

  static EdgeRole start(EdgeConfig config) throws Exception {
    EdgeRole role = new EdgeRole(config);
    try {
      role.start();
    } catch (Exception e) {
      role.close();
      throw e;
    }
    return role;
  }

  static String playToken(String video) {
    return TOKENS.sign(
        TokenClaims.unsigned(
            video, TokenScope.PLAY, null, 0, Instant.now().plus(Duration.ofMinutes(5))));
  }

  static byte[] pattern(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ((i * 31 + seed) % 251);
    }
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static HttpResponse<byte[]> get(EdgeRole edge, String path, String... headers)
      throws IOException, InterruptedException {
    return send(edge, "GET", path, headers);
  }

  static HttpResponse<byte[]> send(EdgeRole edge, String method, String path, String... headers)
      throws IOException, InterruptedException {
    var b =
        HttpRequest.newBuilder(URI.create(edge.baseUrl().toString().replaceAll("/$", "") + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A raw request (targets HttpClient would refuse); returns the status line. */
  static String rawStatusLine(EdgeRole edge, String target) throws IOException {
    URI base = edge.baseUrl();
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        line.write(c);
      }
      return line.toString(StandardCharsets.ISO_8859_1).trim();
    }
  }
}
