import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Flow;
import java.util.zip.CRC32;

/**
 * The load side of benchmarks/edge/coalesce.sh: K clients that, released together by a barrier,
 * each ask for the same M objects at once (K × M requests in flight, each on its own connection),
 * and check every answer: status 200, the full length and the CRC32 of the file the origin serves.
 * Counting origin fetches is the script's job (the origin's /metrics); this class only makes the
 * burst and says whether every viewer got the right bytes, and how long they waited.
 *
 * <p>A single-file program (`java Coalesce.java`), so that the benchmark needs no build of its own.
 *
 * <p>Usage: {@code java Coalesce.java BASE_URL CLIENTS PATHS_FILE BLOB_ROOT}; paths are
 * {@code /v/{id}/{r}/{n}.ts}, their files {@code BLOB_ROOT/hls/{id}/{r}/{n}.ts}. Prints one line:
 * {@code RESULT requests=… ok=… bad=… p50_ms=… p99_ms=… max_ms=…}; exits 1 if any answer was bad.
 */
public final class Coalesce {
  private record Expected(long size, long crc) {}

  private record Outcome(boolean ok, double millis, String problem) {}

  /** Counts and checksums a body as it arrives, keeping none of it. */
  private static final class Checksum implements Flow.Subscriber<List<ByteBuffer>> {
    final CRC32 crc = new CRC32();
    long size;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        size += b.remaining();
        crc.update(b);
      }
    }

    @Override
    public void onError(Throwable error) {}

    @Override
    public void onComplete() {}
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: java Coalesce.java BASE_URL CLIENTS PATHS_FILE BLOB_ROOT");
      System.exit(2);
    }
    String base = args[0];
    int clients = Integer.parseInt(args[1]);
    List<String> paths =
        Files.readAllLines(Path.of(args[2])).stream().filter(s -> !s.isBlank()).toList();
    Path root = Path.of(args[3]);
    List<Expected> expected = new ArrayList<>();
    for (String p : paths) {
      byte[] bytes = Files.readAllBytes(root.resolve("hls").resolve(p.substring("/v/".length())));
      CRC32 crc = new CRC32();
      crc.update(bytes);
      expected.add(new Expected(bytes.length, crc.getValue()));
    }

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    CyclicBarrier start = new CyclicBarrier(clients);
    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  List<CompletableFuture<Void>> inFlight = new ArrayList<>();
                  for (int i = 0; i < paths.size(); i++) {
                    inFlight.add(fetch(http, base + paths.get(i), expected.get(i), outcomes));
                  }
                  CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                } catch (Exception e) {
                  outcomes.add(new Outcome(false, 0, e.toString()));
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }

    double[] millis = outcomes.stream().mapToDouble(Outcome::millis).sorted().toArray();
    long ok = outcomes.stream().filter(Outcome::ok).count();
    outcomes.stream()
        .filter(o -> !o.ok())
        .map(Outcome::problem)
        .distinct()
        .limit(5)
        .forEach(p -> System.err.println("bad answer: " + p));
    System.out.printf(
        "RESULT requests=%d ok=%d bad=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
        outcomes.size(),
        ok,
        outcomes.size() - ok,
        percentile(millis, 50),
        percentile(millis, 99),
        millis.length == 0 ? 0 : millis[millis.length - 1]);
    System.exit(ok == (long) clients * paths.size() ? 0 : 1);
  }

  private static CompletableFuture<Void> fetch(
      HttpClient http, String url, Expected want, ConcurrentLinkedQueue<Outcome> outcomes) {
    long t0 = System.nanoTime();
    return http.sendAsync(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.fromSubscriber(new Checksum(), s -> s))
        .handle(
            (response, error) -> {
              double ms = (System.nanoTime() - t0) / 1e6;
              if (error != null) {
                outcomes.add(new Outcome(false, ms, url + ": " + error));
              } else {
                Checksum body = response.body();
                boolean ok =
                    response.statusCode() == 200
                        && body.size == want.size()
                        && body.crc.getValue() == want.crc();
                outcomes.add(
                    new Outcome(
                        ok,
                        ms,
                        url + ": status " + response.statusCode() + ", " + body.size + " bytes"));
              }
              return null;
            });
  }

  private static double percentile(double[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
