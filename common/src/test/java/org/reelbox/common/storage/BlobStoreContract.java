package org.reelbox.common.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link BlobStore} promises. An implementation's test extends this class and
 * provides {@link #newStore()}; other modules reuse it through common's test-jar (for a fake, say).
 *
 * <p>Each test gets a new, empty store, closed afterwards.
 */
public abstract class BlobStoreContract {
  /** The store under test; new and empty for each test. */
  protected BlobStore store;

  /** A new, empty store. It is closed after the test. */
  protected abstract BlobStore newStore() throws Exception;

  /**
   * A picture of what lies outside the store (files beside its directory, other buckets), taken
   * before and after calls with bad keys to prove they wrote nothing there. The default sees
   * nothing; implementations that have an outside override it.
   */
  protected Set<String> outsideSnapshot() throws Exception {
    return Set.of();
  }

  @BeforeEach
  final void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  final void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  // ---------------------------------------------------------------- put and get

  @Test
  public void put_knownLength_roundTrips() throws Exception {
    byte[] value = bytes(100_000, 1);
    Instant before = Instant.now();

    BlobInfo info = store.put("originals/v1/source", new ByteArrayInputStream(value), value.length);

    assertThat(info.key()).isEqualTo("originals/v1/source");
    assertThat(info.sizeBytes()).isEqualTo(value.length);
    assertRecent(info.lastModified(), before);
    assertThat(read("originals/v1/source")).isEqualTo(value);
  }

  @Test
  public void put_emptyKnownLength_storesEmptyObject() throws Exception {
    BlobInfo info = store.put("a/empty", InputStream.nullInputStream(), 0);

    assertThat(info.sizeBytes()).isZero();
    assertThat(read("a/empty")).isEmpty();
    assertThat(store.stat("a/empty")).get().extracting(BlobInfo::sizeBytes).isEqualTo(0L);
  }

  @Test
  public void put_emptyUnknownLength_storesEmptyObject() throws Exception {
    BlobInfo info = store.put("a/empty", InputStream.nullInputStream(), BlobStore.UNKNOWN_LENGTH);

    assertThat(info.sizeBytes()).isZero();
    assertThat(read("a/empty")).isEmpty();
  }

  @Test
  public void put_unknownLengthLargeStream_roundTripsEveryByte() throws Exception {
    // Over 12 MiB and not a multiple of the part size, so an S3 store uploads several parts and a
    // short last one.
    long size = 12L * 1024 * 1024 + 12_345;

    BlobInfo info =
        store.put("originals/big/source", new GeneratedStream(size, 7), BlobStore.UNKNOWN_LENGTH);

    assertThat(info.sizeBytes()).isEqualTo(size);
    assertThat(store.stat("originals/big/source"))
        .get()
        .extracting(BlobInfo::sizeBytes)
        .isEqualTo(size);
    try (InputStream in = store.get("originals/big/source")) {
      assertThat(sha256(in)).isEqualTo(sha256(new GeneratedStream(size, 7)));
    }
  }

  @Test
  public void put_unknownLengthSmallStream_roundTrips() throws Exception {
    byte[] value = "#EXTM3U\n#EXT-X-VERSION:3\n".getBytes(UTF_8);

    BlobInfo info =
        store.put("hls/v1/master.m3u8", new ByteArrayInputStream(value), BlobStore.UNKNOWN_LENGTH);

    assertThat(info.sizeBytes()).isEqualTo(value.length);
    assertThat(read("hls/v1/master.m3u8")).isEqualTo(value);
  }

  @Test
  public void put_streamLongerThanLength_storesLengthBytesAndReadsNoFurther() throws Exception {
    byte[] data = bytes(1000, 2);
    ByteArrayInputStream in = new ByteArrayInputStream(data);

    BlobInfo info = store.put("a/prefix", in, 600);

    assertThat(info.sizeBytes()).isEqualTo(600);
    assertThat(read("a/prefix")).isEqualTo(Arrays.copyOf(data, 600));
    // The rest of the caller's stream is still there: an upload body may go on after the object.
    assertThat(in.available()).isEqualTo(400);
    assertThat(in.read()).isEqualTo(data[600] & 0xff);
  }

  @Test
  public void put_anyLength_doesNotCloseStream() throws Exception {
    CloseRecordingStream in = new CloseRecordingStream(bytes(10, 3));

    store.put("a/b", in, 10);
    store.put("a/c", new CloseRecordingStream(bytes(10, 3)), BlobStore.UNKNOWN_LENGTH);

    assertThat(in.closed).isFalse();
  }

  @Test
  public void put_existingKey_replacesValue() throws Exception {
    put("hls/v1/index.m3u8", bytes(5000, 1));
    byte[] second = bytes(300, 2);

    put("hls/v1/index.m3u8", second);

    assertThat(read("hls/v1/index.m3u8")).isEqualTo(second);
    assertThat(store.stat("hls/v1/index.m3u8"))
        .get()
        .extracting(BlobInfo::sizeBytes)
        .isEqualTo(300L);
    assertThat(store.list("hls/")).extracting(BlobInfo::key).containsExactly("hls/v1/index.m3u8");
  }

  @Test
  public void put_shortStreamKnownLength_throwsAndKeepsOldValue() throws Exception {
    byte[] old = bytes(80, 1);
    put("a/b", old);

    Throwable thrown =
        catchThrowable(() -> store.put("a/b", new ByteArrayInputStream(bytes(50, 2)), 100));

    assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("50 of 100");
    assertThat(read("a/b")).isEqualTo(old);
    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("a/b");
  }

  @Test
  public void put_shortStreamKnownLength_throwsAndStoresNothing() throws Exception {
    Throwable thrown =
        catchThrowable(() -> store.put("a/b", new ByteArrayInputStream(bytes(50, 2)), 100));

    assertThat(thrown).isInstanceOf(IOException.class);
    assertThat(store.stat("a/b")).isEmpty();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  public void put_shortStreamSpanningParts_throwsAndKeepsOldValue() throws Exception {
    // Known length over two S3 parts; the stream ends in the last one, after earlier parts were
    // uploaded, so a multipart upload must be abandoned rather than completed.
    byte[] old = bytes(10, 1);
    put("originals/v1/source", old);
    long length = 11L * 1024 * 1024;
    long actual = 10L * 1024 * 1024 + 512 * 1024;

    Throwable thrown =
        catchThrowable(
            () -> store.put("originals/v1/source", new GeneratedStream(actual, 3), length));

    assertThat(thrown).isInstanceOf(IOException.class);
    assertThat(read("originals/v1/source")).isEqualTo(old);
    assertThat(store.list("")).extracting(BlobInfo::sizeBytes).containsExactly(10L);
  }

  @Test
  public void put_invalidLength_throwsIllegalArgument() {
    assertThatThrownBy(() -> store.put("a/b", new ByteArrayInputStream(new byte[1]), -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-2");
  }

  @Test
  public void put_nullArguments_throwNullPointer() {
    assertThatThrownBy(() -> store.put(null, InputStream.nullInputStream(), 0))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put("a/b", null, 0)).isInstanceOf(NullPointerException.class);
  }

  @Test
  public void get_missingKey_throwsBlobNotFound() {
    assertThatThrownBy(() -> store.get("hls/nope/index.m3u8"))
        .isInstanceOf(BlobNotFoundException.class)
        .satisfies(
            e -> assertThat(((BlobNotFoundException) e).key()).isEqualTo("hls/nope/index.m3u8"));
  }

  @Test
  public void get_keyThatIsOnlyAPrefix_throwsBlobNotFound() throws Exception {
    put("hls/abc/1.ts", bytes(10, 1));

    assertThatThrownBy(() -> store.get("hls/abc")).isInstanceOf(BlobNotFoundException.class);
    assertThat(store.stat("hls/abc")).isEmpty();
    assertThat(store.delete("hls/abc")).isFalse();
    assertThat(read("hls/abc/1.ts")).hasSize(10);
  }

  @Test
  public void get_keyUnderAnObject_throwsBlobNotFound() throws Exception {
    put("a", bytes(10, 1));

    assertThatThrownBy(() -> store.get("a/b")).isInstanceOf(BlobNotFoundException.class);
    assertThat(store.stat("a/b")).isEmpty();
    assertThat(store.delete("a/b")).isFalse();
  }

  // ---------------------------------------------------------------- ranges

  @Test
  public void getRange_start_returnsFirstBytes() throws Exception {
    byte[] value = put("a/r", bytes(1000, 4));

    assertThat(readRange("a/r", 0, 10)).isEqualTo(Arrays.copyOfRange(value, 0, 10));
  }

  @Test
  public void getRange_middle_returnsThoseBytes() throws Exception {
    byte[] value = put("a/r", bytes(1000, 4));

    assertThat(readRange("a/r", 100, 50)).isEqualTo(Arrays.copyOfRange(value, 100, 150));
  }

  @Test
  public void getRange_toEnd_returnsLastBytes() throws Exception {
    byte[] value = put("a/r", bytes(1000, 4));

    assertThat(readRange("a/r", 990, 10)).isEqualTo(Arrays.copyOfRange(value, 990, 1000));
  }

  @Test
  public void getRange_lengthBeyondEnd_truncated() throws Exception {
    byte[] value = put("a/r", bytes(1000, 4));

    assertThat(readRange("a/r", 990, 1_000_000)).isEqualTo(Arrays.copyOfRange(value, 990, 1000));
    assertThat(readRange("a/r", 0, Long.MAX_VALUE)).isEqualTo(value);
  }

  @Test
  public void getRange_offsetAtEnd_returnsEmpty() throws Exception {
    put("a/r", bytes(1000, 4));
    put("a/empty", new byte[0]);

    assertThat(readRange("a/r", 1000, 10)).isEmpty();
    assertThat(readRange("a/empty", 0, 10)).isEmpty();
  }

  @Test
  public void getRange_zeroLength_returnsEmpty() throws Exception {
    put("a/r", bytes(1000, 4));

    assertThat(readRange("a/r", 10, 0)).isEmpty();
  }

  @Test
  public void getRange_offsetPastEnd_throwsIllegalArgument() throws Exception {
    put("a/r", bytes(1000, 4));

    assertThatThrownBy(() -> store.getRange("a/r", 1001, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1001");
  }

  @Test
  public void getRange_negativeOffsetOrLength_throwsIllegalArgument() throws Exception {
    put("a/r", bytes(1000, 4));

    assertThatThrownBy(() -> store.getRange("a/r", -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.getRange("a/r", 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void getRange_missingKey_throwsBlobNotFound() {
    assertThatThrownBy(() -> store.getRange("a/missing", 0, 10))
        .isInstanceOf(BlobNotFoundException.class);
  }

  // ---------------------------------------------------------------- stat

  @Test
  public void stat_missingKey_empty() throws Exception {
    assertThat(store.stat("a/missing")).isEmpty();
  }

  @Test
  public void stat_presentKey_returnsSizeAndTime() throws Exception {
    Instant before = Instant.now();
    put("hls/v1/720p/1.ts", bytes(4321, 5));

    BlobInfo info = store.stat("hls/v1/720p/1.ts").orElseThrow();

    assertThat(info.key()).isEqualTo("hls/v1/720p/1.ts");
    assertThat(info.sizeBytes()).isEqualTo(4321);
    assertRecent(info.lastModified(), before);
  }

  // ---------------------------------------------------------------- list

  @Test
  public void list_partialSegmentPrefix_matchesAsPlainString() throws Exception {
    putListingFixture();

    assertThat(store.list("hls/ab"))
        .extracting(BlobInfo::key)
        .containsExactly("hls/ab/1.ts", "hls/abc/2.ts", "hls/abc/x/3.ts");
  }

  @Test
  public void list_directoryPrefix_matchesOnlyThatDirectory() throws Exception {
    putListingFixture();

    assertThat(store.list("hls/abc/"))
        .extracting(BlobInfo::key)
        .containsExactly("hls/abc/2.ts", "hls/abc/x/3.ts");
    assertThat(store.list("hls/ab/")).extracting(BlobInfo::key).containsExactly("hls/ab/1.ts");
  }

  @Test
  public void list_emptyPrefix_listsEverythingSorted() throws Exception {
    putListingFixture();

    List<BlobInfo> all = store.list("");

    assertThat(all)
        .extracting(BlobInfo::key)
        .containsExactly(
            "hls/ab/1.ts",
            "hls/abc/2.ts",
            "hls/abc/x/3.ts",
            "hls/b.m3u8",
            "originals/v1/source",
            "z");
    assertThat(all).extracting(BlobInfo::sizeBytes).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  public void list_fullKeyPrefix_matchesThatKey() throws Exception {
    putListingFixture();

    assertThat(store.list("hls/abc/2.ts"))
        .extracting(BlobInfo::key)
        .containsExactly("hls/abc/2.ts");
  }

  @Test
  public void list_noMatch_empty() throws Exception {
    putListingFixture();

    assertThat(store.list("nope/")).isEmpty();
    assertThat(store.list("hls/abd")).isEmpty();
    assertThat(store.list("z/")).isEmpty();
  }

  @Test
  public void list_emptyStore_empty() throws Exception {
    assertThat(store.list("")).isEmpty();
  }

  // ---------------------------------------------------------------- delete

  @Test
  public void delete_missingKey_returnsFalse() throws Exception {
    assertThat(store.delete("a/missing")).isFalse();
  }

  @Test
  public void delete_presentKey_returnsTrueThenFalse() throws Exception {
    put("temp/v1/chunk-1", bytes(10, 1));
    put("temp/v1/chunk-2", bytes(10, 2));

    assertThat(store.delete("temp/v1/chunk-1")).isTrue();
    assertThat(store.delete("temp/v1/chunk-1")).isFalse();

    assertThat(store.stat("temp/v1/chunk-1")).isEmpty();
    assertThatThrownBy(() -> store.get("temp/v1/chunk-1"))
        .isInstanceOf(BlobNotFoundException.class);
    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("temp/v1/chunk-2");
  }

  @Test
  public void delete_thenPutSameKey_works() throws Exception {
    put("temp/v1/chunk-1", bytes(10, 1));
    store.delete("temp/v1/chunk-1");

    put("temp/v1/chunk-1", bytes(20, 2));

    assertThat(read("temp/v1/chunk-1")).isEqualTo(bytes(20, 2));
  }

  @Test
  public void deletePrefix_directoryPrefix_deletesOnlyThoseAndCounts() throws Exception {
    putListingFixture();

    assertThat(store.deletePrefix("hls/abc/")).isEqualTo(2);

    assertThat(store.list(""))
        .extracting(BlobInfo::key)
        .containsExactly("hls/ab/1.ts", "hls/b.m3u8", "originals/v1/source", "z");
  }

  @Test
  public void deletePrefix_partialSegment_deletesAsPlainString() throws Exception {
    putListingFixture();

    assertThat(store.deletePrefix("hls/ab")).isEqualTo(3);

    assertThat(store.list("hls/")).extracting(BlobInfo::key).containsExactly("hls/b.m3u8");
  }

  @Test
  public void deletePrefix_emptyPrefix_deletesEverything() throws Exception {
    putListingFixture();

    assertThat(store.deletePrefix("")).isEqualTo(6);

    assertThat(store.list("")).isEmpty();
  }

  @Test
  public void deletePrefix_noMatch_returnsZero() throws Exception {
    putListingFixture();

    assertThat(store.deletePrefix("temp/")).isZero();
    assertThat(store.list("")).hasSize(6);
  }

  // ---------------------------------------------------------------- bad keys

  /** Keys that every method must refuse: climbing out, absolute, encoded, empty, control chars. */
  static Stream<String> badKeys() {
    return Stream.of(
        "../x",
        "a/../b",
        "/abs",
        "a//b",
        "a/./b",
        ".hidden",
        "a\\b",
        "a%2Fb",
        "%2e%2e/x",
        "",
        "a/b/",
        "a\u0000b",
        "..",
        "../../../../../../etc/passwd",
        "a/..",
        "..\\x",
        "a b");
  }

  @ParameterizedTest
  @MethodSource("org.reelbox.common.storage.BlobStoreContract#badKeys")
  public void everyMethod_badKey_throwsIllegalArgumentAndWritesNothing(String key)
      throws Exception {
    Set<String> outsideBefore = outsideSnapshot();
    byte[] value = bytes(10, 9);

    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(value), value.length))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> store.put(key, new ByteArrayInputStream(value), BlobStore.UNKNOWN_LENGTH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.getRange(key, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.stat(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
    // "" and "a/b/" are fine as prefixes; everything else here is not.
    if (!key.isEmpty() && !key.equals("a/b/")) {
      assertThatThrownBy(() -> store.list(key)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.deletePrefix(key))
          .isInstanceOf(IllegalArgumentException.class);
    }

    assertThat(store.list("")).isEmpty();
    assertThat(outsideSnapshot()).isEqualTo(outsideBefore);
  }

  @Test
  public void put_badKey_doesNotReadStream() {
    CloseRecordingStream in = new CloseRecordingStream(bytes(10, 1));

    assertThatThrownBy(() -> store.put("../x", in, 10))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(in.available()).isEqualTo(10);
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  @Timeout(60)
  public void put_concurrentWritersSameKey_leaveOneCompleteValue() throws Exception {
    int writers = 4;
    int rounds = 3;
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      values.add(bytes(256 * 1024, 100 + i));
    }
    put("hls/v1/720p/7.ts", values.get(0));
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        byte[] value = values.get(i);
        futures.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      start.await();
                      for (int r = 0; r < rounds; r++) {
                        store.put(
                            "hls/v1/720p/7.ts", new ByteArrayInputStream(value), value.length);
                      }
                      return null;
                    }));
      }
      // A reader alongside: each read is one writer's value, whole.
      Future<Integer> reader =
          pool.submit(
              () -> {
                start.await();
                int reads = 0;
                while (writing.get() || reads == 0) {
                  byte[] seen = read("hls/v1/720p/7.ts");
                  assertThat(isOneOf(seen, values)).as("read %d is a whole value", reads).isTrue();
                  reads++;
                }
                return reads;
              });
      start.countDown();
      for (Future<?> f : futures) {
        f.get(50, TimeUnit.SECONDS);
      }
      writing.set(false);
      assertThat(reader.get(50, TimeUnit.SECONDS)).isPositive();
    } finally {
      pool.shutdownNow();
    }

    assertThat(isOneOf(read("hls/v1/720p/7.ts"), values)).as("final value is whole").isTrue();
    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("hls/v1/720p/7.ts");
  }

  @Test
  @Timeout(60)
  public void put_concurrentWithDeleteOfSibling_succeeds() throws Exception {
    // A file store removes a directory when its last object goes; a put into that directory at
    // the same moment must still land.
    int rounds = 40;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> churn =
          pool.submit(
              (Callable<Void>)
                  () -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                      put("temp/v1/a/" + i, bytes(10, i));
                      store.delete("temp/v1/a/" + i);
                    }
                    return null;
                  });
      Future<?> writer =
          pool.submit(
              (Callable<Void>)
                  () -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                      put("temp/v1/a/w" + i, bytes(10, i));
                      assertThat(read("temp/v1/a/w" + i)).isEqualTo(bytes(10, i));
                      store.delete("temp/v1/a/w" + i);
                    }
                    return null;
                  });
      start.countDown();
      churn.get(50, TimeUnit.SECONDS);
      writer.get(50, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.list("")).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  /** Six objects of sizes 1 to 6, for the listing tests. */
  private void putListingFixture() throws IOException {
    // Written out of order, so that sorting is the store's doing.
    put("z", bytes(6, 6));
    put("hls/abc/x/3.ts", bytes(3, 3));
    put("originals/v1/source", bytes(5, 5));
    put("hls/ab/1.ts", bytes(1, 1));
    put("hls/b.m3u8", bytes(4, 4));
    put("hls/abc/2.ts", bytes(2, 2));
  }

  /** Stores {@code value} under {@code key} with its length known; returns the value. */
  protected byte[] put(String key, byte[] value) throws IOException {
    store.put(key, new ByteArrayInputStream(value), value.length);
    return value;
  }

  /** The whole object. */
  protected byte[] read(String key) throws IOException {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    }
  }

  private byte[] readRange(String key, long offset, long length) throws IOException {
    try (InputStream in = store.getRange(key, offset, length)) {
      return in.readAllBytes();
    }
  }

  private static boolean isOneOf(byte[] seen, List<byte[]> values) {
    // Not AssertJ's anySatisfy: its message for each non-matching 256 KiB array is slow to build.
    return values.stream().anyMatch(v -> Arrays.equals(v, seen));
  }

  /** {@code n} pseudo-random bytes, the same for the same seed. */
  protected static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static void assertRecent(Instant t, Instant before) {
    // S3 keeps whole seconds; allow for that and a little clock slack either way.
    assertThat(t).isBetween(before.minus(Duration.ofSeconds(2)), Instant.now().plusSeconds(2));
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * {@code size} pseudo-random bytes made on the fly, the same for the same seed, without holding
   * them in memory. Reads return at most 8 KiB, as a network stream would.
   */
  protected static final class GeneratedStream extends InputStream {
    private final SplittableRandom random;
    private long remaining;

    public GeneratedStream(long size, int seed) {
      this.random = new SplittableRandom(seed);
      this.remaining = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(Math.min(len, remaining), 8192);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) random.nextInt(256);
      }
      remaining -= n;
      return n;
    }
  }

  private static final class CloseRecordingStream extends ByteArrayInputStream {
    volatile boolean closed;

    CloseRecordingStream(byte[] data) {
      super(data);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
