package org.reelbox.edge.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.edge.cache.ObjectMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches whole objects from the origins into a {@link Fetch}, with failover.
 *
 * <p>Origins are tried in the configured order. A connection error, a timeout before the response
 * headers, or a 5xx moves on to the next origin; any other answer is final (404 means the object
 * does not exist, wherever it is asked for). All attempts share one deadline for the headers
 * ({@code originTimeoutMs}), so a miss answers 502/504 within it however many origins there are.
 * Once a 200's headers have arrived the fetch is committed to that origin: the body streams into
 * the {@link Fetch} as it comes; a body that breaks, stalls longer than {@code originReadTimeoutMs}
 * or ends short fails the fetch (nothing is stored, clients that got headers see the connection
 * closed).
 *
 * <p>The JDK {@link HttpClient} (HTTP/1.1, pooled keep-alive connections) is asynchronous: no
 * thread waits for an origin. Its body subscriber copies each piece into the fetch's direct buffer.
 */
final class OriginClient {
  private static final Logger log = LoggerFactory.getLogger(OriginClient.class);

  private final List<String> origins;
  private final HttpClient http;
  private final Duration readTimeout;
  private final ScheduledExecutorService timer;
  private final long maxObjectBytes;

  OriginClient(
      List<String> originUrls,
      HttpClient http,
      Duration readTimeout,
      ScheduledExecutorService timer,
      long maxObjectBytes) {
    this.origins =
        originUrls.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
    this.http = requireNonNull(http, "http");
    this.readTimeout = requireNonNull(readTimeout, "readTimeout");
    this.timer = requireNonNull(timer, "timer");
    this.maxObjectBytes = maxObjectBytes;
  }

  static HttpClient newHttpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * Starts fetching {@code path} (e.g. {@code /t/…/v/{id}/720p/3.ts}) into {@code fetch}; returns
   * at once. The fetch ends done or failed, never hangs: by {@code deadlineNanos} ({@link
   * System#nanoTime()}) it has headers or has failed with 502/504.
   */
  void fetch(String path, Fetch fetch, long deadlineNanos) {
    attempt(path, fetch, deadlineNanos, 0, null);
  }

  private void attempt(String path, Fetch fetch, long deadlineNanos, int i, ApiException last) {
    if (fetch.isTerminal()) {
      return;
    }
    if (i >= origins.size()) {
      fetch.fail(last);
      return;
    }
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      fetch.fail(new ApiException(ErrorCode.GATEWAY_TIMEOUT, "no origin answered in time"));
      return;
    }
    String origin = origins.get(i);
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(origin + path))
              .timeout(Duration.ofNanos(remaining))
              .header("User-Agent", "reelbox-edge")
              .GET()
              .build();
    } catch (IllegalArgumentException e) {
      fetch.fail(new ApiException(ErrorCode.INTERNAL, "bad origin URL"));
      return;
    }
    var forwarder = new BodyForwarder(fetch);
    int[] status = new int[1];
    CompletableFuture<HttpResponse<Void>> sent;
    try {
      sent =
          http.sendAsync(
              request,
              info -> {
                status[0] = info.statusCode();
                return onHeaders(info, fetch, forwarder);
              });
    } catch (RuntimeException e) {
      fetch.fail(new ApiException(ErrorCode.BAD_GATEWAY, "cannot reach the origin"));
      return;
    }
    sent.whenComplete(
        (response, error) -> {
          if (error != null) {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (fetch.hasHead()) {
              // Committed to this origin once its headers are in (clients may have them too).
              fetch.fail(new ApiException(ErrorCode.BAD_GATEWAY, "the origin's answer broke"));
              return;
            }
            // The path may carry a token: log the origin and the error only.
            log.debug("origin {} failed: {}", origin, cause.toString());
            ApiException next =
                cause instanceof HttpTimeoutException
                        && !(cause instanceof java.net.http.HttpConnectTimeoutException)
                    ? new ApiException(
                        ErrorCode.GATEWAY_TIMEOUT, "the origin did not answer in time")
                    : new ApiException(ErrorCode.BAD_GATEWAY, "no origin could be reached");
            attempt(path, fetch, deadlineNanos, i + 1, next);
            return;
          }
          int code = status[0];
          if (code >= 500) {
            log.debug("origin {} answered {}", origin, code);
            attempt(
                path,
                fetch,
                deadlineNanos,
                i + 1,
                new ApiException(ErrorCode.BAD_GATEWAY, "the origin answered " + code));
          } else if (code != 200) {
            fetch.fail(forClientError(code));
          }
        });
  }

  private HttpResponse.BodySubscriber<Void> onHeaders(
      HttpResponse.ResponseInfo info, Fetch fetch, BodyForwarder forwarder) {
    if (info.statusCode() != 200) {
      return HttpResponse.BodySubscribers.replacing(null);
    }
    var headers = info.headers();
    long length = headers.firstValueAsLong("Content-Length").orElse(-1);
    if (length < 0 || length > maxObjectBytes) {
      fetch.fail(
          new ApiException(
              ErrorCode.BAD_GATEWAY,
              length < 0
                  ? "the origin's answer has no Content-Length"
                  : "the object is larger than this edge stores"));
      return HttpResponse.BodySubscribers.replacing(null);
    }
    String contentType = headers.firstValue("Content-Type").orElse("application/octet-stream");
    var metadata =
        new ObjectMetadata(
            contentType.isBlank() ? "application/octet-stream" : contentType,
            headers.firstValue("ETag").orElse(null),
            headers.firstValue("Last-Modified").flatMap(OriginClient::parseDate).orElse(null));
    fetch.onHead(
        new Fetch.Head(length, metadata, headers.firstValue("Cache-Control").orElse(null)));
    return forwarder;
  }

  private static ApiException forClientError(int code) {
    return switch (code) {
      case 404 -> new ApiException(ErrorCode.NOT_FOUND, "no such resource");
      case 403 -> new ApiException(ErrorCode.TOKEN_INVALID, "the origin refused the token");
      case 410 -> new ApiException(ErrorCode.TOKEN_EXPIRED, "the token has expired");
      case 400 -> new ApiException(ErrorCode.BAD_REQUEST, "malformed playback path");
      default -> new ApiException(ErrorCode.BAD_GATEWAY, "the origin answered " + code);
    };
  }

  private static Optional<Instant> parseDate(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Copies body pieces into the fetch; breaks off a body that stalls past the read timeout. */
  private final class BodyForwarder implements HttpResponse.BodySubscriber<Void> {
    private final Fetch fetch;
    private volatile Flow.Subscription subscription;
    private ScheduledFuture<?> watchdog;

    BodyForwarder(Fetch fetch) {
      this.fetch = fetch;
    }

    @Override
    public CompletionStage<Void> getBody() {
      // Complete at once: the response future then completes with the headers, and the body
      // streams through onNext.
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      long periodMs = Math.max(10, readTimeout.toMillis() / 4);
      watchdog =
          timer.scheduleWithFixedDelay(this::checkStall, periodMs, periodMs, TimeUnit.MILLISECONDS);
      fetch.finished().whenComplete((ok, e) -> watchdog.cancel(false));
      s.request(Long.MAX_VALUE); // the whole body is kept anyway: no reason to hold it back
    }

    private void checkStall() {
      if (System.nanoTime() - fetch.lastProgressNanos() > readTimeout.toNanos()) {
        fetch.fail(new ApiException(ErrorCode.GATEWAY_TIMEOUT, "the origin's answer stalled"));
        subscription.cancel();
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        if (!fetch.onData(b)) {
          subscription.cancel();
          return;
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {
      log.debug("origin body failed: {}", throwable.toString());
      fetch.fail(new ApiException(ErrorCode.BAD_GATEWAY, "the origin's answer broke"));
    }

    @Override
    public void onComplete() {
      fetch.onEnd();
    }
  }
}
