package org.reelbox.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.store.internal.CachingMetadataStore;
import org.reelbox.control.store.internal.JdbcMetadataStore;

/**
 * The caching decorator over H2: it must still pass the whole contract, serve repeated reads from
 * the cache, and never serve a video older than the last write through it.
 */
class CachingMetadataStoreTest extends MetadataStoreContract {
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir Path dataDir;
  private Database database;
  private Counting counting;

  /** Counts calls per method name, and lets a test run a hook inside the delegate's findVideo. */
  private static final class Counting implements InvocationHandler {
    final MetadataStore target;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final AtomicReference<Runnable> afterFindVideo = new AtomicReference<>(() -> {});

    Counting(MetadataStore target) {
      this.target = target;
    }

    int calls(String method) {
      return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    MetadataStore proxy() {
      return (MetadataStore)
          Proxy.newProxyInstance(
              MetadataStore.class.getClassLoader(), new Class<?>[] {MetadataStore.class}, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      calls.computeIfAbsent(method.getName(), name -> new AtomicInteger()).incrementAndGet();
      try {
        Object result = method.invoke(target, args);
        if (method.getName().equals("findVideo")) {
          afterFindVideo.get().run();
        }
        return result;
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  @Override
  protected MetadataStore newStore(Clock clock) {
    database = Database.open(DatabaseConfig.embedded(), dataDir);
    counting = new Counting(new JdbcMetadataStore(database.dataSource(), clock));
    return new CachingMetadataStore(counting.proxy(), 100);
  }

  @Override
  protected void closeStore() {
    if (database != null) {
      database.close();
    }
  }

  private Video newVideo() {
    User alice = store.createUser("alice", UserRole.CREATOR, HASH);
    return store.createVideo(NewVideo.titled(alice.id(), "cached"));
  }

  @Test
  void findVideo_secondRead_servedFromCache() {
    Video video = newVideo();

    assertThat(store.findVideo(video.id())).contains(video);
    assertThat(store.findVideo(video.id())).contains(video);

    assertThat(counting.calls("findVideo")).isEqualTo(1);
  }

  @Test
  void findVideo_afterTransition_readsNewState() {
    Video video = newVideo();
    store.findVideo(video.id());

    store.transitionVideo(VideoTransition.uploaded(video.id(), 5L, SHA));

    assertThat(store.findVideo(video.id()).orElseThrow().state()).isEqualTo(VideoState.UPLOADED);
    assertThat(counting.calls("findVideo")).isEqualTo(2);
  }

  @Test
  void findVideo_afterRefusedTransition_stillCorrect() {
    Video video = newVideo();
    store.findVideo(video.id());

    store.transitionVideo(VideoTransition.processing(video.id()));

    assertThat(store.findVideo(video.id())).contains(video);
  }

  @Test
  void findVideo_afterMetadataUpdate_readsNewTitle() {
    Video video = newVideo();
    store.findVideo(video.id());
    clock.advance(Duration.ofSeconds(1));

    Video updated =
        store
            .updateVideoMetadata(
                video.id(), VideoPatch.NONE.withTitle("renamed").withLanguage("en"))
            .orElseThrow();

    assertThat(store.findVideo(video.id())).contains(updated);
    assertThat(counting.calls("findVideo")).isEqualTo(2);
  }

  @Test
  void findVideo_unknownId_notCached() {
    VideoId unknown = VideoId.of("DDDDDDDDDDD");

    assertThat(store.findVideo(unknown)).isEmpty();
    assertThat(store.findVideo(unknown)).isEmpty();

    assertThat(counting.calls("findVideo")).isEqualTo(2);
  }

  @Test
  void findVideo_createdAfterAMiss_isFound() {
    User alice = store.createUser("alice", UserRole.CREATOR, HASH);
    Video video = store.createVideo(NewVideo.titled(alice.id(), "late"));
    store.transitionVideo(VideoTransition.failed(video.id(), "X"));

    assertThat(store.findVideo(video.id())).isPresent();
  }

  /**
   * The race the decorator's design essay describes: a read loads the old row, a write commits and
   * invalidates, then the read stores what it loaded. The invalidation must win.
   */
  @Test
  void transitionVideo_whileAReadIsLoadingTheOldRow_cacheEndsWithTheNewRow() throws Exception {
    Video video = newVideo();
    CountDownLatch loadedOldRow = new CountDownLatch(1);
    CountDownLatch releaseLoad = new CountDownLatch(1);
    counting.afterFindVideo.set(
        () -> {
          loadedOldRow.countDown();
          await(releaseLoad);
        });

    CompletableFuture<Optional<Video>> read =
        CompletableFuture.supplyAsync(() -> store.findVideo(video.id()));
    assertThat(loadedOldRow.await(10, TimeUnit.SECONDS)).isTrue();
    counting.afterFindVideo.set(() -> {});
    CompletableFuture<TransitionResult> write =
        CompletableFuture.supplyAsync(
            () -> store.transitionVideo(VideoTransition.uploaded(video.id(), 5L, SHA)));
    // Give the write time to commit and reach the invalidation; if the invalidation did not wait
    // for the load, it would be over before the load stores the old row.
    Thread.sleep(200);
    releaseLoad.countDown();

    assertThat(read.get(10, TimeUnit.SECONDS)).contains(video);
    assertThat(write.get(10, TimeUnit.SECONDS).outcome())
        .isEqualTo(TransitionResult.Outcome.APPLIED);
    assertThat(store.findVideo(video.id()).orElseThrow().state()).isEqualTo(VideoState.UPLOADED);
  }

  @Test
  void constructor_badSizeOrExpiry_throwsIllegalArgument() {
    MetadataStore delegate = new InMemoryMetadataStore(clock);

    assertThatThrownBy(() -> new CachingMetadataStore(delegate, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> new CachingMetadataStore(delegate, 10, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released in 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
