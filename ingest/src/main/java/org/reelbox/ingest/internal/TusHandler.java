package org.reelbox.ingest.internal;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorBody;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.http.HttpResponses;
import org.reelbox.common.security.TokenClaims;
import org.reelbox.common.security.TokenError;
import org.reelbox.common.security.TokenException;
import org.reelbox.common.security.TokenScope;
import org.reelbox.common.security.Tokens;
import org.reelbox.ingest.store.ConcatKind;
import org.reelbox.ingest.store.UploadInfo;
import org.reelbox.ingest.store.UploadState;
import org.reelbox.ingest.tus.TusError;
import org.reelbox.ingest.tus.TusException;
import org.reelbox.ingest.tus.UploadChecksum;
import org.reelbox.ingest.tus.UploadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tus 1.0.0 server on Vert.x: routes, headers, CORS, and the hand-off of request bodies to
 * worker threads. The protocol's logic is in {@link UploadService}; this class knows HTTP.
 *
 * <p>Routes (docs/upload.md §2): {@code OPTIONS /files/} and the same under {@code /t/{token}/},
 * without a token; {@code POST /t/{token}/files/}; {@code HEAD|PATCH|DELETE
 * /t/{token}/files/{uploadId}}. {@code X-HTTP-Method-Override} names the method when present (tus
 * 1.0.0 §X-HTTP-Method-Override).
 *
 * <p><b>Threads.</b> Nothing here blocks the event loop. Short store calls (HEAD, DELETE, creation)
 * run on Vert.x's worker pool; requests with a body run on {@code bodyExecutor}, a bounded pool,
 * reading the body through a {@link RequestBodyStream} that applies backpressure. Every request is
 * paused on arrival so that no byte is delivered before someone is ready to take it.
 *
 * <p><b>Unread bodies.</b> When a request is answered before its body was read (an error, an early
 * rejection), a small body (up to {@value #DRAIN_LIMIT_BYTES} bytes) is read and dropped so that
 * the connection can serve the next request; a larger one closes the connection, rather than pull a
 * gigabyte nobody wants.
 */
final class TusHandler {
  private static final Logger log = LoggerFactory.getLogger(TusHandler.class);

  static final String TUS_VERSION = "1.0.0";
  static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
  static final long DRAIN_LIMIT_BYTES = 64 * 1024;
  private static final int MAX_CONCAT_HEADER_CHARS = 8192;

  // The tus headers a browser may send and read (CORS), as tusd lists them.
  private static final String ALLOWED_HEADERS =
      "Authorization, Origin, X-Requested-With, X-Request-ID, X-HTTP-Method-Override,"
          + " Content-Type, Upload-Length, Upload-Offset, Tus-Resumable, Upload-Metadata,"
          + " Upload-Defer-Length, Upload-Concat, Upload-Checksum";
  private static final String EXPOSED_HEADERS =
      "Upload-Offset, Location, Upload-Length, Tus-Version, Tus-Resumable, Tus-Max-Size,"
          + " Tus-Extension, Upload-Metadata, Upload-Defer-Length, Upload-Concat, Upload-Expires,"
          + " Upload-Checksum, Tus-Checksum-Algorithm";
  private static final String ALLOWED_METHODS = "POST, HEAD, PATCH, DELETE, OPTIONS";

  // RFC 7231 §7.1.1.1 IMF-fixdate, as tus 1.0.0 wants for Upload-Expires.
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private enum Route {
    DISCOVERY,
    COLLECTION,
    RESOURCE
  }

  private final UploadService service;
  private final Tokens tokens;
  private final ExecutorService bodyExecutor;
  private final Duration stallTimeout;
  private final String extensions;
  private final Set<RequestBodyStream> activeBodies = ConcurrentHashMap.newKeySet();

  TusHandler(
      UploadService service, Tokens tokens, ExecutorService bodyExecutor, Duration stallTimeout) {
    this.service = requireNonNull(service, "service");
    this.tokens = requireNonNull(tokens, "tokens");
    this.bodyExecutor = requireNonNull(bodyExecutor, "bodyExecutor");
    this.stallTimeout = requireNonNull(stallTimeout, "stallTimeout");
    this.extensions = String.join(",", service.extensions());
  }

  void mount(Router router) {
    router.route("/files").handler(ctx -> handle(ctx, Route.DISCOVERY));
    router.route("/files/").handler(ctx -> handle(ctx, Route.DISCOVERY));
    router.route("/t/:token/files").handler(ctx -> handle(ctx, Route.COLLECTION));
    router.route("/t/:token/files/").handler(ctx -> handle(ctx, Route.COLLECTION));
    router.route("/t/:token/files/:id").handler(ctx -> handle(ctx, Route.RESOURCE));
  }

  /** Aborts the bodies being read, so that their workers store what they have and return. */
  void abortAll() {
    for (RequestBodyStream body : activeBodies) {
      body.abort("ingest is stopping", /* superseded= */ false);
    }
  }

  private void handle(RoutingContext ctx, Route route) {
    HttpServerRequest request = ctx.request();
    request.pause();
    HttpServerResponse response = ctx.response();
    // Every response carries Tus-Resumable (tus 1.0.0 §Tus-Resumable) and the CORS headers: the
    // token is in the path, not in a cookie, so any origin may call.
    response.putHeader("Tus-Resumable", TUS_VERSION);
    response.putHeader("Access-Control-Allow-Origin", "*");
    response.putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    Exchange exchange = new Exchange(ctx, route);
    try {
      exchange.dispatch();
    } catch (TusException e) {
      exchange.fail(e.toApiException());
    } catch (ApiException e) {
      exchange.fail(e);
    } catch (RuntimeException e) {
      log.error("tus request failed: {} {}", request.method(), route, e);
      exchange.fail(new ApiException(ErrorCode.INTERNAL, "internal error"));
    }
  }

  /** One request and its answer. */
  private final class Exchange {
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Route route;
    private final Context context;
    private RequestBodyStream body;
    private String method;
    // Set by a creation-with-upload whose body then failed: the upload exists, and the error
    // answer tells the client where, so that it can resume.
    private volatile String createdLocation;

    Exchange(RoutingContext ctx, Route route) {
      this.ctx = ctx;
      this.request = ctx.request();
      this.response = ctx.response();
      this.route = route;
      this.context = ctx.vertx().getOrCreateContext();
    }

    void dispatch() {
      if (request.method() == HttpMethod.OPTIONS) {
        options();
        return;
      }
      method = effectiveMethod();
      // tus 1.0.0 §Tus-Resumable: an unsupported version is 412 with Tus-Version, unprocessed.
      if (!TUS_VERSION.equals(request.getHeader("Tus-Resumable"))) {
        throw TusError.UNSUPPORTED_VERSION.exception();
      }
      if (route == Route.DISCOVERY) {
        throw TusError.TOKEN_MISSING.exception();
      }
      TokenClaims claims = verify(ctx.pathParam("token"));
      if (route == Route.COLLECTION && method.equals("POST")) {
        post(claims);
      } else if (route == Route.RESOURCE && method.equals("HEAD")) {
        head(claims);
      } else if (route == Route.RESOURCE && method.equals("PATCH")) {
        patch(claims);
      } else if (route == Route.RESOURCE && method.equals("DELETE") && service.canTerminate()) {
        delete(claims);
      } else {
        response.putHeader("Allow", route == Route.COLLECTION ? "POST, OPTIONS" : allowed());
        throw TusError.METHOD_NOT_ALLOWED.exception();
      }
    }

    private String allowed() {
      return service.canTerminate() ? "HEAD, PATCH, DELETE, OPTIONS" : "HEAD, PATCH, OPTIONS";
    }

    private String effectiveMethod() {
      String override = request.getHeader("X-HTTP-Method-Override");
      return override == null ? request.method().name() : override.trim().toUpperCase(Locale.ROOT);
    }

    private TokenClaims verify(String token) {
      TokenClaims claims;
      try {
        claims = tokens.verify(token, TokenScope.UPLOAD);
      } catch (TokenException e) {
        log.debug("upload token refused: {}", e.getMessage());
        throw e.toApiException();
      }
      if (!UploadService.isValidVideoId(claims.subject())) {
        // Signed by us, so not forged; but its subject cannot name an object key.
        throw new TokenException(TokenError.MALFORMED).toApiException();
      }
      return claims;
    }

    // -------------------------------------------------------------- OPTIONS

    /** Discovery (tus 1.0.0 §OPTIONS) and CORS preflight in one answer; no token needed. */
    private void options() {
      response.putHeader("Tus-Version", TUS_VERSION);
      response.putHeader("Tus-Extension", extensions);
      response.putHeader("Tus-Max-Size", Long.toString(service.maxSizeBytes()));
      response.putHeader("Tus-Checksum-Algorithm", String.join(",", UploadChecksum.ALGORITHMS));
      response.putHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
      response.putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      response.putHeader("Access-Control-Max-Age", "86400");
      respond(204);
    }

    // -------------------------------------------------------------- POST

    private void post(TokenClaims claims) {
      MultiMap headers = request.headers();
      String concatHeader = single(headers, "Upload-Concat", TusError.INVALID_CONCAT);
      ParsedConcat concat = parseConcat(concatHeader);
      String lengthHeader = single(headers, "Upload-Length", TusError.INVALID_LENGTH);
      String deferHeader = single(headers, "Upload-Defer-Length", TusError.INVALID_DEFER_LENGTH);
      UploadMetadata metadata = metadata(headers);
      boolean hasBody = hasBody();
      if (concat.kind() != ConcatKind.NONE && !service.canConcatenate()) {
        throw TusError.INVALID_CONCAT.exception("this server does not concatenate");
      }
      if (concat.kind() == ConcatKind.FINAL) {
        if (lengthHeader != null || deferHeader != null) {
          throw TusError.CONCAT_WITH_LENGTH.exception();
        }
        if (hasBody) {
          throw TusError.CONCAT_WITH_BODY.exception();
        }
        discardBody();
        onBodyExecutor(
            () -> service.createFinal(claims, concat.ids(), concatHeader, metadata),
            info -> created(info, false));
        return;
      }
      long length;
      if (lengthHeader != null && deferHeader != null) {
        throw TusError.LENGTH_AND_DEFER.exception();
      } else if (deferHeader != null) {
        // tus 1.0.0 §Upload-Defer-Length: "Its value MUST be 1".
        if (!deferHeader.equals("1")) {
          throw TusError.INVALID_DEFER_LENGTH.exception();
        }
        length = UploadInfo.DEFERRED;
      } else if (lengthHeader != null) {
        length = nonNegative(lengthHeader, TusError.INVALID_LENGTH);
        service.checkLength(length, claims);
      } else {
        throw TusError.LENGTH_REQUIRED.exception();
      }
      UploadService.Create create =
          new UploadService.Create(claims, length, metadata, concat.kind(), concatHeader);
      if (!hasBody) {
        discardBody();
        onWorker(() -> service.create(create), info -> created(info, false));
        return;
      }
      // creation-with-upload: the body follows the PATCH rules.
      requireOffsetOctetStream();
      UploadChecksum checksum = checksum(headers);
      OptionalLong contentLength = contentLength();
      RequestBodyStream stream = attachBody();
      String token = ctx.pathParam("token");
      onBodyExecutor(
          () -> {
            UploadInfo info = service.create(create);
            createdLocation = location(token, info.id());
            try {
              return service.append(
                  new UploadService.Append(
                      info.id(),
                      claims,
                      0,
                      OptionalLong.empty(),
                      checksum,
                      contentLength,
                      stream,
                      this::sendContinue));
            } catch (TusException e) {
              if (e.error() == TusError.UNSUPPORTED_CONTAINER) {
                createdLocation = null; // terminated: nothing to resume
              }
              throw e;
            }
          },
          info -> created(info, true));
    }

    private void created(UploadInfo info, boolean withOffset) {
      response.putHeader("Location", location(ctx.pathParam("token"), info.id()));
      if (withOffset) {
        response.putHeader("Upload-Offset", Long.toString(info.offset()));
      }
      putExpires(info);
      respond(201);
    }

    // -------------------------------------------------------------- HEAD

    private void head(TokenClaims claims) {
      response.putHeader("Cache-Control", "no-store");
      discardBody();
      String id = ctx.pathParam("id");
      onWorker(
          () -> service.find(id, claims),
          info -> {
            // Concatenation: a final's offset is only meaningful once it is assembled.
            if (info.concat() != ConcatKind.FINAL || info.state() != UploadState.UPLOADING) {
              response.putHeader("Upload-Offset", Long.toString(info.offset()));
            }
            if (info.hasDeferredLength()) {
              response.putHeader("Upload-Defer-Length", "1");
            } else {
              response.putHeader("Upload-Length", Long.toString(info.length()));
            }
            if (info.metadata() != null) {
              response.putHeader("Upload-Metadata", info.metadata());
            }
            if (info.concatHeader() != null) {
              response.putHeader("Upload-Concat", info.concatHeader());
            }
            putExpires(info);
            respond(200);
          });
    }

    // -------------------------------------------------------------- PATCH

    private void patch(TokenClaims claims) {
      requireOffsetOctetStream();
      MultiMap headers = request.headers();
      String offsetHeader = single(headers, "Upload-Offset", TusError.INVALID_OFFSET);
      if (offsetHeader == null) {
        throw TusError.INVALID_OFFSET.exception("the header is missing");
      }
      long offset = nonNegative(offsetHeader, TusError.INVALID_OFFSET);
      String lengthHeader = single(headers, "Upload-Length", TusError.INVALID_LENGTH);
      OptionalLong declared =
          lengthHeader == null
              ? OptionalLong.empty()
              : OptionalLong.of(nonNegative(lengthHeader, TusError.INVALID_LENGTH));
      UploadChecksum checksum = checksum(headers);
      OptionalLong contentLength = contentLength();
      RequestBodyStream stream = attachBody();
      String id = ctx.pathParam("id");
      onBodyExecutor(
          () ->
              service.append(
                  new UploadService.Append(
                      id,
                      claims,
                      offset,
                      declared,
                      checksum,
                      contentLength,
                      stream,
                      this::sendContinue)),
          info -> {
            response.putHeader("Upload-Offset", Long.toString(info.offset()));
            putExpires(info);
            respond(204);
          });
    }

    // -------------------------------------------------------------- DELETE

    private void delete(TokenClaims claims) {
      discardBody();
      String id = ctx.pathParam("id");
      onWorker(
          () -> {
            service.terminate(id, claims);
            return null;
          },
          ignored -> respond(204));
    }

    // -------------------------------------------------------------- headers

    private void requireOffsetOctetStream() {
      String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
      String base = type == null ? "" : type.split(";", 2)[0].trim();
      if (!base.equalsIgnoreCase(OFFSET_OCTET_STREAM)) {
        throw TusError.INVALID_CONTENT_TYPE.exception();
      }
    }

    private UploadChecksum checksum(MultiMap headers) {
      String value = single(headers, "Upload-Checksum", TusError.INVALID_CHECKSUM);
      return value == null ? null : UploadChecksum.parse(value);
    }

    private UploadMetadata metadata(MultiMap headers) {
      String value = single(headers, "Upload-Metadata", TusError.INVALID_METADATA);
      // An empty header says nothing; tus clients send it when there is no metadata.
      return value == null || value.isEmpty() ? null : UploadMetadata.parse(value);
    }

    private boolean hasBody() {
      String chunked = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
      return contentLength().orElse(chunked != null ? 1 : 0) > 0;
    }

    private OptionalLong contentLength() {
      String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
      if (value == null) {
        return OptionalLong.empty();
      }
      try {
        return OptionalLong.of(Long.parseLong(value.trim()));
      } catch (NumberFormatException e) {
        return OptionalLong.empty(); // Netty refuses a malformed Content-Length before us
      }
    }

    private void putExpires(UploadInfo info) {
      // Expiration: sent while the upload can still expire, that is while it holds unfinished
      // bytes; a finished video does not expire.
      if (info.state() == UploadState.UPLOADING || info.state() == UploadState.COMPLETE) {
        response.putHeader("Upload-Expires", HTTP_DATE.format(info.expiresAt()));
      }
    }

    private void sendContinue() {
      String expect = request.getHeader(HttpHeaders.EXPECT);
      if (expect != null && expect.equalsIgnoreCase("100-continue")) {
        context.runOnContext(
            v -> {
              if (!response.ended() && !response.headWritten()) {
                response.writeContinue();
              }
            });
      }
    }

    // -------------------------------------------------------------- bodies and threads

    private RequestBodyStream attachBody() {
      body = RequestBodyStream.attach(request, context, stallTimeout);
      activeBodies.add(body);
      return body;
    }

    private void discardBody() {
      request.handler(buffer -> {});
      request.resume();
    }

    /** A short blocking call on Vert.x's worker pool; the answer on the event loop. */
    private <T> void onWorker(Callable<T> work, java.util.function.Consumer<T> answer) {
      ctx.vertx()
          .executeBlocking(work, false)
          .onComplete(
              result -> {
                if (result.succeeded()) {
                  answer.accept(result.result());
                } else {
                  fail(result.cause());
                }
              });
    }

    /** A request-body call on the body pool; the answer on the event loop. */
    private <T> void onBodyExecutor(Callable<T> work, java.util.function.Consumer<T> answer) {
      try {
        bodyExecutor.execute(
            () -> {
              T result;
              try {
                result = work.call();
              } catch (Throwable t) {
                context.runOnContext(v -> fail(t));
                return;
              }
              context.runOnContext(v -> answer.accept(result));
            });
      } catch (RejectedExecutionException e) {
        throw TusError.OVERLOADED.exception();
      }
    }

    // -------------------------------------------------------------- answers

    private void respond(int status) {
      if (response.ended() || response.closed()) {
        release();
        return;
      }
      boolean closeAfter = unreadBodyTooLarge();
      if (closeAfter) {
        response.putHeader(HttpHeaders.CONNECTION, "close");
      }
      response.setStatusCode(status);
      response.end().onComplete(v -> afterResponse(closeAfter));
    }

    void fail(Throwable t) {
      ApiException e;
      if (t instanceof TusException tus) {
        e = tus.toApiException();
      } else if (t instanceof ApiException api) {
        e = api;
      } else if (t instanceof IOException) {
        log.warn("tus {} failed on storage: {}", method, t.toString());
        e = TusError.STORAGE_FAILED.exception().toApiException();
      } else {
        log.error("tus {} failed", method, t);
        e = new ApiException(ErrorCode.INTERNAL, "internal error");
      }
      fail(e);
    }

    void fail(ApiException e) {
      if (response.ended() || response.closed()) {
        release();
        return;
      }
      if (e.code() == ErrorCode.PRECONDITION_FAILED) {
        response.putHeader("Tus-Version", TUS_VERSION);
      }
      if (createdLocation != null) {
        response.putHeader("Location", createdLocation);
      }
      if (e.httpStatus() >= 500) {
        log.warn("tus {} answered {}: {}", method, e.httpStatus(), e.getMessage());
      }
      boolean closeAfter = unreadBodyTooLarge();
      if (closeAfter) {
        response.putHeader(HttpHeaders.CONNECTION, "close");
      } else if (body == null && !request.isEnded()) {
        discardBody();
      }
      response.setStatusCode(e.httpStatus());
      if (isHead()) {
        response.end().onComplete(v -> afterResponse(closeAfter));
      } else {
        response
            .putHeader(HttpHeaders.CONTENT_TYPE, HttpResponses.JSON)
            .end(ErrorBody.of(e.code(), e.getMessage()).toJson())
            .onComplete(v -> afterResponse(closeAfter));
      }
    }

    private boolean isHead() {
      return request.method() == HttpMethod.HEAD || "HEAD".equals(method);
    }

    /**
     * Whether the request still has body bytes on the wire that are not worth reading: more than
     * {@link #DRAIN_LIMIT_BYTES}, or of unknown length.
     */
    private boolean unreadBodyTooLarge() {
      if (request.isEnded() || (body != null && body.fullyConsumed())) {
        return false;
      }
      OptionalLong length = contentLength();
      long read = body == null ? 0 : body.delivered();
      return length.isEmpty() || length.getAsLong() - read > DRAIN_LIMIT_BYTES;
    }

    private void afterResponse(boolean close) {
      if (body != null) {
        body.abort("answered", /* superseded= */ false);
      }
      if (!request.isEnded()) {
        // Read and drop the rest: a small rest keeps the connection usable. Before a close, this
        // also makes Vert.x hand over (and release) the buffers it holds for the paused request.
        discardBody();
      }
      if (close) {
        request.connection().close();
      }
      release();
    }

    private void release() {
      if (body != null) {
        activeBodies.remove(body);
      }
    }
  }

  // ---------------------------------------------------------------- header parsing

  /** The single value of {@code name}, or null; two or more values are an error. */
  private static String single(MultiMap headers, String name, TusError error) {
    List<String> values = headers.getAll(name);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw error.exception("the header is repeated");
    }
    return values.get(0).trim();
  }

  private static long nonNegative(String value, TusError error) {
    // Digits only: Long.parseLong would take "+5".
    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
      throw error.exception();
    }
    return Long.parseLong(value);
  }

  static String location(String token, String id) {
    // Relative, so that it keeps the token and works behind any host name (docs/upload.md §1).
    return "/t/" + token + "/files/" + id;
  }

  /** A parsed {@code Upload-Concat} header. */
  record ParsedConcat(ConcatKind kind, List<String> ids) {}

  /**
   * Parses {@code Upload-Concat}: {@code partial}, or {@code final;} and a space-separated list of
   * upload URLs, absolute or relative, whose last path segment is the upload id. The token in a
   * partial's URL does not matter: the final's own token authorizes it, and its partials must be
   * uploads of the same video.
   */
  static ParsedConcat parseConcat(String header) {
    if (header == null) {
      return new ParsedConcat(ConcatKind.NONE, List.of());
    }
    if (header.equals("partial")) {
      return new ParsedConcat(ConcatKind.PARTIAL, List.of());
    }
    if (!header.startsWith("final;") || header.length() > MAX_CONCAT_HEADER_CHARS) {
      throw TusError.INVALID_CONCAT.exception();
    }
    String list = header.substring("final;".length()).trim();
    if (list.isEmpty()) {
      throw TusError.INVALID_CONCAT.exception("no partial uploads listed");
    }
    List<String> ids = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String url : list.split(" +")) {
      for (int i = 0; i < url.length(); i++) {
        char c = url.charAt(i);
        if (c < '!' || c > '~') {
          throw TusError.INVALID_CONCAT.exception("a URL has a character that is not allowed");
        }
      }
      String path = url;
      if (url.startsWith("http://") || url.startsWith("https://")) {
        try {
          path = URI.create(url).getRawPath();
        } catch (IllegalArgumentException e) {
          throw TusError.INVALID_CONCAT.exception("a URL is malformed");
        }
      }
      int cut = indexOfAny(path, '?', '#');
      if (cut >= 0) {
        path = path.substring(0, cut);
      }
      String id = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
      if (!UploadInfo.isValidId(id)) {
        throw TusError.INVALID_CONCAT.exception("a URL does not name an upload");
      }
      if (!seen.add(id)) {
        throw TusError.INVALID_CONCAT.exception("an upload is listed twice");
      }
      ids.add(id);
    }
    return new ParsedConcat(ConcatKind.FINAL, ids);
  }

  private static int indexOfAny(String s, char a, char b) {
    if (s == null) {
      return -1;
    }
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
