package org.reelbox.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reelbox.common.json.Json;
import org.reelbox.common.security.KeyRing;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;

/**
 * The tus 1.0.0 server against a real ingest role on loopback, for one upload store. Each store's
 * test class extends this; the protocol table and every scenario run against both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TusProtocolContract {
  static final int MIB = 1024 * 1024;
  static final String EXTENSIONS =
      "creation,creation-with-upload,creation-defer-length,expiration,checksum,termination,"
          + "concatenation";
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  protected Path root;
  protected TestClock clock;
  protected FakeControlPlane controlPlane;
  protected IngestHarness ingest;
  protected TusClient client;
  private final AtomicInteger videos = new AtomicInteger();

  /** The role's {@code storage} config section. */
  protected abstract ObjectNode storage() throws Exception;

  /** Asserts that the store holds none of the upload's bytes any more (data, parts, tails). */
  protected abstract void assertBytesReleased(String uploadId) throws Exception;

  @BeforeAll
  void startIngest() throws Exception {
    root = Files.createTempDirectory("reelbox-ingest-test");
    clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    controlPlane = new FakeControlPlane(IngestHarness.SECRET).start();
    ingest =
        new IngestHarness(root.resolve("ingest"), clock, storage(), controlPlane.url(), o -> {})
            .start();
    client = new TusClient(ingest::baseUrl);
  }

  @AfterAll
  void stopIngest() throws IOException {
    if (ingest != null) {
      ingest.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    if (root != null) {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @AfterEach
  void resetControlPlane() {
    controlPlane.failNext(0);
  }

  String newVideo() {
    return "vid-" + getClass().getSimpleName().charAt(0) + videos.incrementAndGet();
  }

  static String id(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  // ================================================================ the protocol table

  /** One request of the table, with what it needs created first. */
  record Req(String method, String path, Map<String, String> headers, byte[] body) {}

  /** Extra checks of a row, after the status and the common headers. */
  interface Check {
    void check(HttpResponse<String> response, Fx fx) throws Exception;
  }

  /** A row: a request made against fresh uploads, the status it must get, and more checks. */
  record Row(String name, Function<Fx, Req> request, int status, String error, Check check) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A fresh video with its token, and helpers that create uploads for a row. */
  final class Fx {
    final String video = newVideo();
    final String token = ingest.token(video);
    String location;

    String collection() {
      return "/t/" + token + "/files/";
    }

    /** A new upload of {@code length} bytes; its Location. */
    String upload(long length) {
      location = client.create(token, length);
      return location;
    }

    /** A new upload that has received {@code sent} of {@code length} MP4 bytes. */
    String uploadWithBytes(int length, int sent) {
      upload(length);
      byte[] bytes = Arrays.copyOf(Media.mp4(length, 7), sent);
      assertThat(client.patch(location, 0, bytes).statusCode()).isEqualTo(204);
      return location;
    }

    /** Two complete partials and their final; the final's Location. */
    String finalUpload() {
      byte[] source = Media.mp4(3000, 11);
      String a = client.partial(token, Arrays.copyOfRange(source, 0, 1000));
      String b = client.partial(token, Arrays.copyOfRange(source, 1000, 3000));
      HttpResponse<String> r =
          client.send(
              "POST", collection(), TusClient.tus("Upload-Concat", "final;" + a + " " + b), null);
      assertThat(r.statusCode()).as("final: %s", r.body()).isEqualTo(201);
      location = header(r, "Location");
      return location;
    }

    long offset() {
      return client.offset(location);
    }
  }

  static Req req(String method, String path, String... headers) {
    return reqWithBody(method, path, null, headers);
  }

  static Req reqWithBody(String method, String path, byte[] body, String... headers) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    return new Req(method, path, h, body);
  }

  /** A tus request: with {@code Tus-Resumable: 1.0.0}. */
  static Req tus(String method, String path, String... headers) {
    return tusWithBody(method, path, null, headers);
  }

  static Req tusWithBody(String method, String path, byte[] body, String... headers) {
    String[] all = Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "Tus-Resumable";
    all[headers.length + 1] = "1.0.0";
    return reqWithBody(method, path, body, all);
  }

  static Row row(String name, Function<Fx, Req> request, int status) {
    return new Row(name, request, status, null, (r, fx) -> {});
  }

  static Row row(String name, Function<Fx, Req> request, int status, Check check) {
    return new Row(name, request, status, null, check);
  }

  static Row error(String name, Function<Fx, Req> request, int status, String code) {
    return new Row(name, request, status, code, (r, fx) -> {});
  }

  static Row error(String name, Function<Fx, Req> request, int status, String code, Check check) {
    return new Row(name, request, status, code, check);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static String sha(String algorithm, byte[] bytes) {
    return Base64.getEncoder().encodeToString(Media.digest(algorithm).digest(bytes));
  }

  Stream<Row> protocolTable() {
    byte[] chunk = Arrays.copyOf(Media.mp4(1000, 7), 400);
    List<Row> rows = new ArrayList<>();

    // ---- discovery and CORS: no token needed
    rows.add(
        row(
            "OPTIONS /files/ without a token: discovery",
            fx -> req("OPTIONS", "/files/"),
            204,
            (r, fx) -> {
              assertThat(header(r, "Tus-Version")).isEqualTo("1.0.0");
              assertThat(header(r, "Tus-Extension")).isEqualTo(EXTENSIONS);
              assertThat(header(r, "Tus-Max-Size")).isEqualTo("1073741824");
              assertThat(header(r, "Tus-Checksum-Algorithm")).isEqualTo("sha1,md5,sha256");
            }));
    rows.add(
        row(
            "OPTIONS preflight on an upload URL with a bad token: CORS",
            fx ->
                req(
                    "OPTIONS",
                    "/t/not-a-token/files/0123456789abcdef0123456789abcdef",
                    "Origin",
                    "https://studio.example",
                    "Access-Control-Request-Method",
                    "PATCH",
                    "Access-Control-Request-Headers",
                    "tus-resumable,upload-offset,content-type,upload-checksum"),
            204,
            (r, fx) -> {
              assertThat(header(r, "Access-Control-Allow-Methods")).contains("PATCH", "DELETE");
              assertThat(header(r, "Access-Control-Allow-Headers"))
                  .contains(
                      "Tus-Resumable",
                      "Upload-Offset",
                      "Upload-Length",
                      "Upload-Metadata",
                      "Upload-Concat",
                      "Upload-Checksum",
                      "Upload-Defer-Length",
                      "Content-Type");
              assertThat(header(r, "Access-Control-Expose-Headers"))
                  .contains(
                      "Upload-Offset",
                      "Upload-Length",
                      "Location",
                      "Tus-Version",
                      "Tus-Resumable",
                      "Upload-Metadata",
                      "Upload-Concat",
                      "Upload-Expires",
                      "Upload-Checksum",
                      "Upload-Defer-Length",
                      "Tus-Max-Size",
                      "Tus-Extension");
              assertThat(header(r, "Access-Control-Max-Age")).isEqualTo("86400");
            }));
    rows.add(
        row(
            "OPTIONS on the creation URL",
            fx -> req("OPTIONS", fx.collection()),
            204,
            (r, fx) -> assertThat(header(r, "Tus-Version")).isEqualTo("1.0.0")));

    // ---- Tus-Resumable
    Check tusVersion = (r, fx) -> assertThat(header(r, "Tus-Version")).isEqualTo("1.0.0");
    rows.add(
        error(
            "POST without Tus-Resumable",
            fx -> req("POST", fx.collection(), "Upload-Length", "10"),
            412,
            "PRECONDITION_FAILED",
            tusVersion));
    rows.add(
        error(
            "POST with an unsupported Tus-Resumable",
            fx -> req("POST", fx.collection(), "Upload-Length", "10", "Tus-Resumable", "0.2.2"),
            412,
            "PRECONDITION_FAILED",
            tusVersion));
    rows.add(
        error(
            "HEAD without Tus-Resumable",
            fx -> req("HEAD", fx.upload(10)),
            412,
            "PRECONDITION_FAILED",
            (r, fx) -> {
              tusVersion.check(r, fx);
              assertThat(header(r, "Upload-Offset")).isNull();
            }));
    rows.add(
        error(
            "PATCH without Tus-Resumable changes nothing",
            fx ->
                reqWithBody(
                    "PATCH",
                    fx.upload(1000),
                    chunk,
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Offset",
                    "0"),
            412,
            "PRECONDITION_FAILED",
            (r, fx) -> assertThat(fx.offset()).isZero()));

    // ---- tokens
    rows.add(
        error(
            "POST with a malformed token",
            fx -> tus("POST", "/t/garbage/files/", "Upload-Length", "10"),
            403,
            "TOKEN_INVALID"));
    rows.add(
        error(
            "POST with a token signed by another cluster",
            fx -> {
              Tokens foreign =
                  new Tokens(KeyRing.derivedFrom("another-cluster-secret-0123456789abcdef"), clock);
              String token =
                  foreign.sign(
                      TokenClaims.unsigned(
                          fx.video, TokenScope.UPLOAD, "42", 100, clock.instant().plusSeconds(60)));
              return tus("POST", "/t/" + token + "/files/", "Upload-Length", "10");
            },
            403,
            "TOKEN_INVALID"));
    rows.add(
        error(
            "POST with an expired token",
            fx ->
                tus(
                    "POST",
                    "/t/" + ingest.token(fx.video, 100, Duration.ofSeconds(-1)) + "/files/",
                    "Upload-Length",
                    "10"),
            410,
            "TOKEN_EXPIRED"));
    rows.add(
        error(
            "POST with a playback token",
            fx ->
                tus(
                    "POST",
                    "/t/" + ingest.token(fx.video, TokenScope.PLAY) + "/files/",
                    "Upload-Length",
                    "10"),
            403,
            "TOKEN_INVALID"));
    rows.add(
        error(
            "POST to /files/ without a token",
            fx -> tus("POST", "/files/", "Upload-Length", "10"),
            403,
            "TOKEN_INVALID"));
    rows.add(
        error(
            "HEAD with a bad token",
            fx -> tus("HEAD", "/t/garbage/files/" + id(fx.upload(10))),
            403,
            "TOKEN_INVALID",
            (r, fx) -> assertThat(r.body()).isEmpty()));

    // ---- creation
    rows.add(
        row(
            "POST creates: relative Location with the token, Upload-Expires",
            fx -> tus("POST", fx.collection(), "Upload-Length", "100"),
            201,
            (r, fx) -> {
              assertThat(header(r, "Location"))
                  .matches("/t/" + java.util.regex.Pattern.quote(fx.token) + "/files/[0-9a-f]{32}");
              // The configured hour, which comes before the token's expiry (two hours).
              assertThat(header(r, "Upload-Expires"))
                  .isEqualTo(HTTP_DATE.format(clock.instant().plusSeconds(3600)));
            }));
    rows.add(
        row(
            "POST with a token expiring sooner: Upload-Expires is the token's",
            fx ->
                tus(
                    "POST",
                    "/t/" + ingest.token(fx.video, 100, Duration.ofMinutes(10)) + "/files/",
                    "Upload-Length",
                    "100"),
            201,
            (r, fx) ->
                assertThat(header(r, "Upload-Expires"))
                    .isEqualTo(HTTP_DATE.format(clock.instant().plusSeconds(600)))));
    rows.add(
        error(
            "POST without Upload-Length", fx -> tus("POST", fx.collection()), 400, "BAD_REQUEST"));
    rows.add(
        error(
            "POST with Upload-Length and Upload-Defer-Length",
            fx -> tus("POST", fx.collection(), "Upload-Length", "10", "Upload-Defer-Length", "1"),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "POST with Upload-Defer-Length: 2",
            fx -> tus("POST", fx.collection(), "Upload-Defer-Length", "2"),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "POST with a negative Upload-Length",
            fx -> tus("POST", fx.collection(), "Upload-Length", "-5"),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "POST with a non-numeric Upload-Length",
            fx -> tus("POST", fx.collection(), "Upload-Length", "12abc"),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "POST over Tus-Max-Size",
            fx -> tus("POST", fx.collection(), "Upload-Length", "1073741825"),
            413,
            "PAYLOAD_TOO_LARGE",
            (r, fx) -> assertThat(header(r, "Location")).isNull()));
    rows.add(
        error(
            "POST over the token's byte limit",
            fx ->
                tus(
                    "POST",
                    "/t/" + ingest.token(fx.video, 1000, Duration.ofHours(1)) + "/files/",
                    "Upload-Length",
                    "1001"),
            413,
            "PAYLOAD_TOO_LARGE"));
    rows.add(
        error(
            "POST of an empty upload",
            fx -> tus("POST", fx.collection(), "Upload-Length", "0"),
            415,
            "UNSUPPORTED_CONTAINER"));
    rows.add(
        row(
            "POST with Upload-Defer-Length: 1; HEAD says deferred",
            fx -> tus("POST", fx.collection(), "Upload-Defer-Length", "1"),
            201,
            (r, fx) -> {
              HttpResponse<String> head = client.head(header(r, "Location"));
              assertThat(header(head, "Upload-Defer-Length")).isEqualTo("1");
              assertThat(header(head, "Upload-Length")).isNull();
              assertThat(header(head, "Upload-Offset")).isEqualTo("0");
            }));

    // ---- Upload-Metadata: strict, never echoed when invalid
    String metadata = "filename " + b64("cat.mp4") + ",filetype " + b64("video/mp4") + ",private";
    rows.add(
        row(
            "POST with valid Upload-Metadata; HEAD echoes it",
            fx -> tus("POST", fx.collection(), "Upload-Length", "100", "Upload-Metadata", metadata),
            201,
            (r, fx) ->
                assertThat(header(client.head(header(r, "Location")), "Upload-Metadata"))
                    .isEqualTo(metadata)));
    Map<String, String> badMetadata = new LinkedHashMap<>();
    badMetadata.put("a duplicate key", "name " + b64("a") + ",name " + b64("b"));
    // After a comma: a leading space of the whole value would be dropped as HTTP whitespace.
    badMetadata.put("an empty key", "name " + b64("a") + ", " + b64("b"));
    badMetadata.put("an empty pair", "name " + b64("a") + ",");
    badMetadata.put("bad Base64", "name %%%");
    badMetadata.put("non-canonical Base64", "name YR==");
    badMetadata.put("three parts", "name " + b64("a") + " extra");
    badMetadata.put("CR after decoding", "name " + b64("a\rb"));
    badMetadata.put("LF after decoding", "name " + b64("a\nSet-Cookie: x=y"));
    badMetadata.put("NUL after decoding", "name " + b64("a\0b"));
    badMetadata.forEach(
        (what, value) ->
            rows.add(
                error(
                    "POST with Upload-Metadata with " + what,
                    fx ->
                        tus(
                            "POST",
                            fx.collection(),
                            "Upload-Length",
                            "100",
                            "Upload-Metadata",
                            value),
                    400,
                    "BAD_REQUEST",
                    (r, fx) -> {
                      assertThat(r.body()).doesNotContain(value);
                      assertThat(header(r, "Location")).isNull();
                    })));

    // ---- HEAD
    rows.add(
        row(
            "HEAD a new upload",
            fx -> tus("HEAD", fx.upload(100)),
            200,
            (r, fx) -> {
              assertThat(header(r, "Upload-Offset")).isEqualTo("0");
              assertThat(header(r, "Upload-Length")).isEqualTo("100");
              assertThat(header(r, "Cache-Control")).isEqualTo("no-store");
              assertThat(header(r, "Upload-Expires")).isNotNull();
              assertThat(header(r, "Upload-Concat")).isNull();
              assertThat(r.body()).isEmpty();
            }));
    rows.add(
        error(
            "HEAD an unknown upload",
            fx -> tus("HEAD", fx.collection() + "0123456789abcdef0123456789abcdef"),
            404,
            "NOT_FOUND",
            (r, fx) -> assertThat(header(r, "Upload-Offset")).isNull()));
    rows.add(
        error(
            "HEAD another video's upload: 404, as if missing",
            fx -> {
              String theirs = id(new Fx().upload(100));
              return tus("HEAD", fx.collection() + theirs);
            },
            404,
            "NOT_FOUND"));
    rows.add(
        error(
            "HEAD a malformed upload id",
            fx -> tus("HEAD", fx.collection() + "..%2f..%2fetc"),
            404,
            "NOT_FOUND"));

    // ---- PATCH
    rows.add(
        row(
            "PATCH the first chunk",
            fx ->
                tusWithBody(
                    "PATCH",
                    fx.upload(1000),
                    chunk,
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Offset",
                    "0"),
            204,
            (r, fx) -> {
              assertThat(header(r, "Upload-Offset")).isEqualTo("400");
              assertThat(header(r, "Upload-Expires")).isNotNull();
              assertThat(fx.offset()).isEqualTo(400);
            }));
    rows.add(
        row(
            "PATCH the last chunk: complete, no Upload-Expires",
            fx -> {
              fx.uploadWithBytes(1000, 400);
              byte[] rest = Arrays.copyOfRange(Media.mp4(1000, 7), 400, 1000);
              return tusWithBody(
                  "PATCH",
                  fx.location,
                  rest,
                  "Content-Type",
                  TusClient.OCTETS,
                  "Upload-Offset",
                  "400");
            },
            204,
            (r, fx) -> {
              assertThat(header(r, "Upload-Offset")).isEqualTo("1000");
              assertThat(header(r, "Upload-Expires")).isNull();
              assertThat(fx.offset()).isEqualTo(1000);
            }));
    rows.add(
        row(
            "PATCH declaring a deferred length",
            fx -> {
              HttpResponse<String> created =
                  client.send(
                      "POST", fx.collection(), TusClient.tus("Upload-Defer-Length", "1"), null);
              fx.location = header(created, "Location");
              return tusWithBody(
                  "PATCH",
                  fx.location,
                  chunk,
                  "Content-Type",
                  TusClient.OCTETS,
                  "Upload-Offset",
                  "0",
                  "Upload-Length",
                  "1000");
            },
            204,
            (r, fx) -> {
              HttpResponse<String> head = client.head(fx.location);
              assertThat(header(head, "Upload-Length")).isEqualTo("1000");
              assertThat(header(head, "Upload-Defer-Length")).isNull();
            }));
    rows.add(
        error(
            "PATCH without Content-Type",
            fx -> tusWithBody("PATCH", fx.upload(1000), chunk, "Upload-Offset", "0"),
            415,
            "UNSUPPORTED_MEDIA_TYPE"));
    rows.add(
        error(
            "PATCH with another Content-Type",
            fx ->
                tusWithBody(
                    "PATCH",
                    fx.upload(1000),
                    chunk,
                    "Content-Type",
                    "video/mp4",
                    "Upload-Offset",
                    "0"),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            (r, fx) -> assertThat(fx.offset()).isZero()));
    rows.add(
        error(
            "PATCH without Upload-Offset",
            fx -> tusWithBody("PATCH", fx.upload(1000), chunk, "Content-Type", TusClient.OCTETS),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "PATCH with a negative Upload-Offset",
            fx ->
                tusWithBody(
                    "PATCH",
                    fx.upload(1000),
                    chunk,
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Offset",
                    "-1"),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "PATCH at the wrong offset: 409, nothing changed",
            fx -> {
              fx.uploadWithBytes(1000, 400);
              return tusWithBody(
                  "PATCH",
                  fx.location,
                  chunk,
                  "Content-Type",
                  TusClient.OCTETS,
                  "Upload-Offset",
                  "200");
            },
            409,
            "CONFLICT",
            (r, fx) -> assertThat(fx.offset()).isEqualTo(400)));
    rows.add(
        error(
            "PATCH past Upload-Length",
            fx ->
                tusWithBody(
                    "PATCH",
                    fx.upload(300),
                    chunk,
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Offset",
                    "0"),
            413,
            "PAYLOAD_TOO_LARGE",
            (r, fx) -> assertThat(fx.offset()).isZero()));
    for (String algorithm : List.of("sha1", "md5", "sha256")) {
      String jca = Map.of("sha1", "SHA-1", "md5", "MD5", "sha256", "SHA-256").get(algorithm);
      rows.add(
          row(
              "PATCH with a matching " + algorithm + " checksum",
              fx ->
                  tusWithBody(
                      "PATCH",
                      fx.upload(1000),
                      chunk,
                      "Content-Type",
                      TusClient.OCTETS,
                      "Upload-Offset",
                      "0",
                      "Upload-Checksum",
                      algorithm + " " + sha(jca, chunk)),
              204,
              (r, fx) -> assertThat(fx.offset()).isEqualTo(400)));
    }
    rows.add(
        error(
            "PATCH with a wrong checksum: 460, chunk discarded",
            fx -> {
              fx.uploadWithBytes(1000, 400);
              byte[] rest = Arrays.copyOfRange(Media.mp4(1000, 7), 400, 1000);
              return tusWithBody(
                  "PATCH",
                  fx.location,
                  rest,
                  "Content-Type",
                  TusClient.OCTETS,
                  "Upload-Offset",
                  "400",
                  "Upload-Checksum",
                  "sha1 " + sha("SHA-1", chunk));
            },
            460,
            "CHECKSUM_MISMATCH",
            (r, fx) -> assertThat(fx.offset()).isEqualTo(400)));
    rows.add(
        error(
            "PATCH with an unsupported checksum algorithm",
            fx ->
                tusWithBody(
                    "PATCH",
                    fx.upload(1000),
                    chunk,
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Offset",
                    "0",
                    "Upload-Checksum",
                    "crc32 AAAAAA=="),
            400,
            "BAD_REQUEST",
            (r, fx) -> assertThat(fx.offset()).isZero()));
    rows.add(
        error(
            "PATCH with a malformed checksum",
            fx ->
                tusWithBody(
                    "PATCH",
                    fx.upload(1000),
                    chunk,
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Offset",
                    "0",
                    "Upload-Checksum",
                    "sha1"),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "PATCH to a final upload",
            fx ->
                tusWithBody(
                    "PATCH",
                    fx.finalUpload(),
                    chunk,
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Offset",
                    "3000"),
            403,
            "FORBIDDEN"));
    rows.add(
        error(
            "PATCH to an unknown upload",
            fx ->
                tusWithBody(
                    "PATCH",
                    fx.collection() + "0123456789abcdef0123456789abcdef",
                    chunk,
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Offset",
                    "0"),
            404,
            "NOT_FOUND"));
    rows.add(
        error(
            "PATCH to another video's upload",
            fx -> {
              String theirs = id(new Fx().upload(1000));
              return tusWithBody(
                  "PATCH",
                  fx.collection() + theirs,
                  chunk,
                  "Content-Type",
                  TusClient.OCTETS,
                  "Upload-Offset",
                  "0");
            },
            404,
            "NOT_FOUND"));
    rows.add(
        error(
            "PATCH to a terminated upload",
            fx -> {
              fx.upload(1000);
              assertThat(client.send("DELETE", fx.location, TusClient.tus(), null).statusCode())
                  .isEqualTo(204);
              return tusWithBody(
                  "PATCH",
                  fx.location,
                  chunk,
                  "Content-Type",
                  TusClient.OCTETS,
                  "Upload-Offset",
                  "0");
            },
            410,
            "GONE"));
    rows.add(
        error(
            "PATCH text at offset 0: 415, upload terminated",
            fx ->
                tusWithBody(
                    "PATCH",
                    fx.upload(1000),
                    Media.text(400),
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Offset",
                    "0"),
            415,
            "UNSUPPORTED_CONTAINER",
            (r, fx) -> assertThat(client.head(fx.location).statusCode()).isEqualTo(410)));

    // ---- termination, method override, other methods
    rows.add(
        row(
            "DELETE terminates; HEAD then answers 410",
            fx -> tus("DELETE", fx.uploadWithBytes(1000, 400)),
            204,
            (r, fx) -> {
              assertThat(client.head(fx.location).statusCode()).isEqualTo(410);
              assertBytesReleased(id(fx.location));
            }));
    rows.add(
        error(
            "DELETE twice",
            fx -> {
              fx.upload(1000);
              client.send("DELETE", fx.location, TusClient.tus(), null);
              return tus("DELETE", fx.location);
            },
            410,
            "GONE"));
    rows.add(
        row(
            "POST with X-HTTP-Method-Override: DELETE",
            fx -> tus("POST", fx.upload(1000), "X-HTTP-Method-Override", "DELETE"),
            204,
            (r, fx) -> assertThat(client.head(fx.location).statusCode()).isEqualTo(410)));
    rows.add(error("GET an upload", fx -> tus("GET", fx.upload(100)), 405, "METHOD_NOT_ALLOWED"));

    // ---- creation with upload
    rows.add(
        row(
            "POST with a body: creation-with-upload",
            fx ->
                tusWithBody(
                    "POST",
                    fx.collection(),
                    chunk,
                    "Upload-Length",
                    "1000",
                    "Content-Type",
                    TusClient.OCTETS),
            201,
            (r, fx) -> {
              assertThat(header(r, "Upload-Offset")).isEqualTo("400");
              assertThat(client.offset(header(r, "Location"))).isEqualTo(400);
            }));
    rows.add(
        error(
            "POST with a text body: 415, nothing to resume",
            fx ->
                tusWithBody(
                    "POST",
                    fx.collection(),
                    Media.text(400),
                    "Upload-Length",
                    "1000",
                    "Content-Type",
                    TusClient.OCTETS),
            415,
            "UNSUPPORTED_CONTAINER",
            (r, fx) -> assertThat(header(r, "Location")).isNull()));
    rows.add(
        error(
            "POST with a body of another Content-Type",
            fx ->
                tusWithBody(
                    "POST",
                    fx.collection(),
                    chunk,
                    "Upload-Length",
                    "1000",
                    "Content-Type",
                    "video/mp4"),
            415,
            "UNSUPPORTED_MEDIA_TYPE"));
    rows.add(
        error(
            "POST with a body and a wrong checksum: 460, the upload exists at offset 0",
            fx ->
                tusWithBody(
                    "POST",
                    fx.collection(),
                    chunk,
                    "Upload-Length",
                    "1000",
                    "Content-Type",
                    TusClient.OCTETS,
                    "Upload-Checksum",
                    "sha1 " + sha("SHA-1", new byte[1])),
            460,
            "CHECKSUM_MISMATCH",
            (r, fx) -> assertThat(client.offset(header(r, "Location"))).isZero()));

    // ---- concatenation
    rows.add(
        row(
            "POST a partial upload; HEAD says partial",
            fx -> tus("POST", fx.collection(), "Upload-Length", "100", "Upload-Concat", "partial"),
            201,
            (r, fx) -> {
              HttpResponse<String> head = client.head(header(r, "Location"));
              assertThat(header(head, "Upload-Concat")).isEqualTo("partial");
              assertThat(header(head, "Upload-Offset")).isEqualTo("0");
              assertThat(header(r, "Upload-Expires")).isNotNull();
            }));
    rows.add(
        row(
            "POST a final upload; HEAD has offset = length and Upload-Concat as sent",
            fx -> {
              byte[] source = Media.mp4(3000, 5);
              String a = client.partial(fx.token, Arrays.copyOfRange(source, 0, 1200));
              String b = client.partial(fx.token, Arrays.copyOfRange(source, 1200, 3000));
              // One URL absolute, one relative: both name uploads.
              String absolute = ingest.baseUrl().resolve(a).toString();
              return tus("POST", fx.collection(), "Upload-Concat", "final;" + absolute + " " + b);
            },
            201,
            (r, fx) -> {
              HttpResponse<String> head = client.head(header(r, "Location"));
              assertThat(head.statusCode()).isEqualTo(200);
              assertThat(header(head, "Upload-Offset")).isEqualTo("3000");
              assertThat(header(head, "Upload-Length")).isEqualTo("3000");
              assertThat(header(head, "Upload-Concat")).startsWith("final;http://");
            }));
    rows.add(
        row(
            "POST the same final twice: the same upload",
            fx -> {
              fx.finalUpload();
              String first = fx.location;
              HttpResponse<String> head = client.head(first);
              return tus("POST", fx.collection(), "Upload-Concat", header(head, "Upload-Concat"));
            },
            201,
            (r, fx) -> assertThat(header(r, "Location")).isEqualTo(fx.location)));
    rows.add(
        error(
            "POST a final with Upload-Length",
            fx ->
                tus(
                    "POST",
                    fx.collection(),
                    "Upload-Length",
                    "10",
                    "Upload-Concat",
                    "final;" + client.partial(fx.token, Media.mp4(100, 1))),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "POST a final listing nothing",
            fx -> tus("POST", fx.collection(), "Upload-Concat", "final;"),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "POST a malformed Upload-Concat",
            fx -> tus("POST", fx.collection(), "Upload-Concat", "whole"),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "POST a final naming an unknown upload",
            fx ->
                tus(
                    "POST",
                    fx.collection(),
                    "Upload-Concat",
                    "final;" + fx.collection() + "0123456789abcdef0123456789abcdef"),
            404,
            "NOT_FOUND"));
    rows.add(
        error(
            "POST a final naming another video's partial",
            fx -> {
              Fx other = new Fx();
              return tus(
                  "POST",
                  fx.collection(),
                  "Upload-Concat",
                  "final;" + client.partial(other.token, Media.mp4(100, 1)));
            },
            404,
            "NOT_FOUND"));
    rows.add(
        error(
            "POST a final naming a single upload",
            fx -> tus("POST", fx.collection(), "Upload-Concat", "final;" + fx.upload(100)),
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "POST a final with an unfinished partial",
            fx -> {
              String a = client.create(fx.token, 100, "Upload-Concat", "partial");
              return tus("POST", fx.collection(), "Upload-Concat", "final;" + a);
            },
            400,
            "BAD_REQUEST"));
    rows.add(
        error(
            "POST a final whose first partial is text: 415",
            fx -> {
              String a = client.partial(fx.token, Media.text(500));
              String b = client.partial(fx.token, Media.mp4(500, 2));
              fx.location = a;
              return tus("POST", fx.collection(), "Upload-Concat", "final;" + a + " " + b);
            },
            415,
            "UNSUPPORTED_CONTAINER",
            (r, fx) -> assertThat(client.head(fx.location).statusCode()).isEqualTo(410)));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocolTable")
  void protocol_table(Row row) throws Exception {
    Fx fx = new Fx();
    Req req = row.request().apply(fx);

    HttpResponse<String> response =
        client.send(req.method(), req.path(), req.headers(), req.body());

    assertThat(response.statusCode())
        .as("%s: %s", row.name(), response.body())
        .isEqualTo(row.status());
    // tus 1.0.0: Tus-Resumable on every response; CORS on every tus response.
    assertThat(header(response, "Tus-Resumable")).isEqualTo("1.0.0");
    assertThat(header(response, "Access-Control-Allow-Origin")).isEqualTo("*");
    if (row.error() != null && !req.method().equals("HEAD")) {
      JsonNode body = Json.mapper().readTree(response.body());
      assertThat(body.path("error").asText()).isEqualTo(row.error());
      assertThat(body.path("message").asText()).isNotBlank();
      assertThat(header(response, "Content-Type")).startsWith("application/json");
    }
    row.check().check(response, fx);
  }

  // ================================================================ scenarios

  @Test
  void completion_controlPlaneFailsThrice_retriedUntilAcknowledged() throws Exception {
    String video = newVideo();
    byte[] source = Media.mp4(12 * MIB, 1);
    controlPlane.failNext(3);

    String location = client.upload(ingest.token(video), source, 4 * MIB);

    await().atMost(Duration.ofSeconds(15)).until(() -> !controlPlane.acknowledged(video).isEmpty());
    assertThat(controlPlane.callsFor(video))
        .extracting(FakeControlPlane.Call::status)
        .containsExactly(500, 500, 500, 200);
    JsonNode body = Json.mapper().readTree(controlPlane.acknowledged(video).get(0).body());
    assertThat(body.path("sizeBytes").asLong()).isEqualTo(source.length);
    assertThat(body.path("sha256").asText()).isEqualTo(Media.sha256(source));
    assertOriginal(video, source);
    // Finished: HEAD still answers the offset, so that a client that lost the last answer knows.
    HttpResponse<String> head = client.head(location);
    assertThat(header(head, "Upload-Offset")).isEqualTo(Long.toString(source.length));
    assertThat(header(head, "Upload-Expires")).isNull();
    assertBytesReleased(id(location));
  }

  @Test
  void concatenation_fourPartialsInParallel_originalEqualsSource() throws Exception {
    String video = newVideo();
    String token = ingest.token(video);
    // Parts of 5.5 MiB: over S3's 5 MiB floor, so the S3 store composes them server-side.
    byte[] source = Media.mp4(22 * MIB, 2);
    int part = source.length / 4;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<String> locations;
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        byte[] piece =
            Arrays.copyOfRange(source, i * part, i == 3 ? source.length : (i + 1) * part);
        futures.add(pool.submit(() -> client.partial(token, piece)));
      }
      locations = new ArrayList<>();
      for (Future<String> f : futures) {
        locations.add(f.get());
      }
    } finally {
      pool.shutdown();
    }

    HttpResponse<String> created =
        client.send(
            "POST",
            "/t/" + token + "/files/",
            TusClient.tus("Upload-Concat", "final;" + String.join(" ", locations)),
            null);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(15)).until(() -> !controlPlane.acknowledged(video).isEmpty());
    JsonNode body = Json.mapper().readTree(controlPlane.acknowledged(video).get(0).body());
    assertThat(body.path("sha256").asText()).isEqualTo(Media.sha256(source));
    assertOriginal(video, source);
    // The partials' bytes went into the final and were released; the partials still answer HEAD.
    for (String location : locations) {
      assertBytesReleased(id(location));
      assertThat(client.head(location).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void restart_midUpload_headGivesOffsetAndUploadCompletes() throws Exception {
    String video = newVideo();
    String token = ingest.token(video);
    byte[] source = Media.mp4(11 * MIB, 3);
    String location = client.create(token, source.length);
    int first = 7 * MIB; // on S3: one 5 MiB part and a 2 MiB tail
    assertThat(client.patch(location, 0, Arrays.copyOf(source, first)).statusCode()).isEqualTo(204);

    ingest.restart();

    assertThat(client.offset(location)).isEqualTo(first);
    HttpResponse<String> rest =
        client.patch(location, first, Arrays.copyOfRange(source, first, source.length));
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(15)).until(() -> !controlPlane.acknowledged(video).isEmpty());
    // The live digest died with the first process: recomputed from the stored bytes.
    JsonNode body = Json.mapper().readTree(controlPlane.acknowledged(video).get(0).body());
    assertThat(body.path("sha256").asText()).isEqualTo(Media.sha256(source));
    assertOriginal(video, source);
  }

  @Test
  void restart_pendingNotification_deliveredOnceControlPlaneIsUp() throws Exception {
    String video = newVideo();
    byte[] source = Media.mp4(300_000, 4);
    controlPlane.stop();
    try {
      client.upload(ingest.token(video), source, 100_000);
      assertOriginal(video, source);
      Path pending = ingest.dataDir().resolve("notifications").resolve(video + ".json");
      // Recorded just after the commit that assertOriginal saw: wait for it rather than race it.
      await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pending));

      ingest.restart();
      Thread.sleep(100); // a few refused attempts with the new process
      assertThat(controlPlane.callsFor(video)).isEmpty();
    } finally {
      controlPlane.start();
    }

    await().atMost(Duration.ofSeconds(15)).until(() -> !controlPlane.acknowledged(video).isEmpty());
    JsonNode body = Json.mapper().readTree(controlPlane.acknowledged(video).get(0).body());
    assertThat(body.path("sha256").asText()).isEqualTo(Media.sha256(source));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                !Files.exists(ingest.dataDir().resolve("notifications").resolve(video + ".json")));
  }

  @Test
  void interruptedPatch_clientClosesMidBody_offsetKeepsWhatArrived() throws Exception {
    String video = newVideo();
    byte[] source = Media.mp4(400_000, 5);
    String location = client.create(ingest.token(video), source.length);
    int half = 150_000;

    try (Socket socket = rawPatch(location, 0, source.length)) {
      OutputStream out = socket.getOutputStream();
      out.write(source, 0, half);
      out.flush();
      Thread.sleep(200);
    } // closed mid-body

    await().atMost(Duration.ofSeconds(10)).until(() -> client.offset(location) == half);
    HttpResponse<String> rest =
        client.patch(location, half, Arrays.copyOfRange(source, half, source.length));
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(15)).until(() -> !controlPlane.acknowledged(video).isEmpty());
    assertOriginal(video, source);
  }

  @Test
  void takeOver_newPatchWhileOldOneHangs_oldStoresWhatArrivedAndNewGets409() throws Exception {
    String video = newVideo();
    byte[] source = Media.mp4(300_000, 6);
    String location = client.create(ingest.token(video), source.length);
    int sent = 100_000;

    try (Socket hanging = rawPatch(location, 0, source.length)) {
      hanging.getOutputStream().write(source, 0, sent);
      hanging.getOutputStream().flush();
      Thread.sleep(200); // the server is now waiting for the rest, holding the upload

      // The client thinks the connection died and resumes from where HEAD said.
      HttpResponse<String> resumed = client.patch(location, 0, source);

      assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(409);
      assertThat(client.offset(location)).isEqualTo(sent);
    }
    HttpResponse<String> rest =
        client.patch(location, sent, Arrays.copyOfRange(source, sent, source.length));
    assertThat(rest.statusCode()).isEqualTo(204);
  }

  @Test
  void sniffing_textFile_rejectedAfterFirstChunkBeforeTheRestIsSent() throws Exception {
    String video = newVideo();
    int declared = 50 * MIB;
    String location = client.create(ingest.token(video), declared);

    try (Socket socket = rawPatch(location, 0, declared)) {
      socket.getOutputStream().write(Media.text(64 * 1024));
      socket.getOutputStream().flush();
      socket.setSoTimeout(10_000);
      // The answer comes without the other 49.9 MiB being sent.
      String status = readStatusLine(socket.getInputStream());
      assertThat(status).startsWith("HTTP/1.1 415");
    }

    assertThat(client.head(location).statusCode()).isEqualTo(410);
    assertBytesReleased(id(location));
  }

  @Test
  void sweeper_expiredUpload_removedWithItsBytes() throws Exception {
    String video = newVideo();
    byte[] source = Media.mp4(7 * MIB, 8);
    String token = ingest.token(video, 64L * MIB, Duration.ofHours(3));
    String location = client.create(token, source.length);
    assertThat(client.patch(location, 0, Arrays.copyOf(source, 6 * MIB)).statusCode())
        .isEqualTo(204);

    clock.advance(Duration.ofMinutes(61)); // past the configured hour; the token is still valid

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertBytesReleased(id(location)));
    assertThat(client.head(location).statusCode()).isEqualTo(410);
    assertThat(
            client
                .patch(location, 6 * MIB, Arrays.copyOfRange(source, 6 * MIB, source.length))
                .statusCode())
        .isEqualTo(410);
  }

  @Test
  void deferredLength_declaredByAnEmptyPatch_uploadCompletes() throws Exception {
    String video = newVideo();
    String token = ingest.token(video);
    byte[] source = Media.mp4(6 * MIB + 12345, 10); // on S3: a part, then a tail
    HttpResponse<String> created =
        client.send(
            "POST", "/t/" + token + "/files/", TusClient.tus("Upload-Defer-Length", "1"), null);
    String location = header(created, "Location");
    assertThat(client.patch(location, 0, source).statusCode()).isEqualTo(204);
    assertThat(header(client.head(location), "Upload-Defer-Length")).isEqualTo("1");

    HttpResponse<String> declare =
        client.patch(
            location, source.length, new byte[0], "Upload-Length", Integer.toString(source.length));

    assertThat(declare.statusCode()).as(declare.body()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(15)).until(() -> !controlPlane.acknowledged(video).isEmpty());
    JsonNode body = Json.mapper().readTree(controlPlane.acknowledged(video).get(0).body());
    assertThat(body.path("sha256").asText()).isEqualTo(Media.sha256(source));
    assertOriginal(video, source);
  }

  @Test
  void metrics_countUploadsAndBytes() throws Exception {
    String video = newVideo();
    client.upload(ingest.token(video), Media.mp4(10_000, 9), 10_000);

    HttpResponse<String> metrics = client.send("GET", "/metrics", Map.of(), null);

    assertThat(metrics.body())
        .contains("ingest_uploads_creations_total{kind=\"single\"")
        .contains("ingest_uploads_completed_total")
        .contains("ingest_bytes_received_bytes_total")
        .contains("ingest_uploads_active");
  }

  // ================================================================ helpers

  void assertOriginal(String video, byte[] source) throws IOException {
    String key = "originals/" + video + "/source";
    await().atMost(Duration.ofSeconds(10)).until(() -> ingest.blobs().stat(key).isPresent());
    try (InputStream in = ingest.blobs().get(key)) {
      byte[] stored = in.readAllBytes();
      assertThat(stored.length).isEqualTo(source.length);
      assertThat(Media.sha256(stored)).isEqualTo(Media.sha256(source));
    }
  }

  /** Opens a connection and sends the head of a PATCH whose body the test then writes. */
  Socket rawPatch(String location, long offset, long contentLength) throws IOException {
    URI base = ingest.baseUrl();
    Socket socket = new Socket(base.getHost(), base.getPort());
    String head =
        "PATCH "
            + location
            + " HTTP/1.1\r\n"
            + "Host: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\n"
            + "Tus-Resumable: 1.0.0\r\n"
            + "Content-Type: application/offset+octet-stream\r\n"
            + "Upload-Offset: "
            + offset
            + "\r\n"
            + "Content-Length: "
            + contentLength
            + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  static String readStatusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      line.append((char) c);
    }
    return line.toString().trim();
  }
}
