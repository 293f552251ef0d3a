package org.reelbox.origin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.config.StorageConfig;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.storage.BlobStore;

/** A video's HLS output written through the BlobStore, tokens for it, and a raw HTTP client. */
final class OriginFixtures {
  static final String SECRET = "origin-test-cluster-secret-0123456789abcdef";
  static final String VIDEO = "dQw4w9WgXcQ";
  static final String OTHER_VIDEO = "aaaaaaaaaaa";
  static final String MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2000000\n720p/index.m3u8\n";
  static final String INDEX =
      "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\n0.ts\n#EXT-X-ENDLIST\n";
  static final String IFRAMES = "#EXTM3U\n#EXT-X-I-FRAMES-ONLY\n#EXT-X-ENDLIST\n";

  /** 1000 bytes: small segment. */
  static final byte[] SEGMENT_0 = pattern(1000, 0);

  /** 300 KiB: several S3 stream chunks. */
  static final byte[] SEGMENT_1 = pattern(300 * 1024, 7);

  static final byte[] THUMB = pattern(2048, 3);
  static final byte[] KEY = pattern(16, 11);

  static final Tokens TOKENS = new Tokens(KeyRing.derivedFrom(SECRET), Clock.systemUTC());

  private OriginFixtures() {}

  static OriginConfig config(Path dataDir, StorageConfig storage) {
    return new OriginConfig(
        new HttpConfig("127.0.0.1", 0),
        dataDir.toString(),
        storage,
        new ClusterConfig(SECRET, "http://127.0.0.1:8080"),
        false,
        60,
        4,
        // No control plane here: the serving tests see only transcoded storage.
        new JitConfig(false, 5, 6, 2_000_000, 4, 10),
        new TrafficConfig("", 0));
  }

  static void writeVideo(BlobStore blobs, String id) throws IOException {
    put(blobs, "hls/" + id + "/master.m3u8", MASTER.getBytes(StandardCharsets.UTF_8));
    put(blobs, "hls/" + id + "/720p/index.m3u8", INDEX.getBytes(StandardCharsets.UTF_8));
    put(blobs, "hls/" + id + "/720p/iframes.m3u8", IFRAMES.getBytes(StandardCharsets.UTF_8));
    put(blobs, "hls/" + id + "/720p/0.ts", SEGMENT_0);
    put(blobs, "hls/" + id + "/720p/1.ts", SEGMENT_1);
    put(blobs, "hls/" + id + "/720p/2.ts", new byte[0]);
    put(blobs, "hls/" + id + "/thumbs/0.jpg", THUMB);
    put(blobs, "keys/" + id + "/0.key", KEY);
  }

  static void put(BlobStore blobs, String key, byte[] bytes) throws IOException {
    blobs.put(key, new ByteArrayInputStream(bytes), bytes.length);
  }

  static byte[] pattern(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ((i * 31 + seed) % 251);
    }
    return b;
  }

  static String token(String subject, TokenScope scope, Instant expiresAt) {
    return TOKENS.sign(TokenClaims.unsigned(subject, scope, null, 0, expiresAt));
  }

  static String playToken(String subject) {
    return token(subject, TokenScope.PLAY, Instant.now().plusSeconds(600));
  }

  /** A raw HTTP/1.1 response: status, headers (lower-case names), body. */
  record Raw(int status, Map<String, String> headers, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  /** Sends raw request text (CRLFs included) and reads one response; the socket stays usable. */
  static Raw exchange(Socket socket, String requestText, boolean head) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(requestText.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return read(socket.getInputStream(), head);
  }

  /** One request on a fresh connection with {@code Connection: close}. */
  static Raw rawGet(int port, String target) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      return exchange(
          s, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", false);
    }
  }

  static Raw read(InputStream in, boolean head) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(in); !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      headers.put(
          l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    int length =
        head || status == 304 || status == 204
            ? 0
            : Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Raw(status, headers, body);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    if (c == -1 && sb.length() == 0) {
      throw new IOException("connection closed");
    }
    return sb.toString();
  }
}
