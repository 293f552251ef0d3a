package org.reelbox.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest extends BlobStoreContract {
  @TempDir Path tempDir;

  private Path root;
  private Path outside;

  @Override
  protected BlobStore newStore() throws IOException {
    root = tempDir.resolve("store");
    outside = Files.createDirectories(tempDir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    return new FileBlobStore(root);
  }

  @Override
  protected Set<String> outsideSnapshot() throws IOException {
    // Everything under the temp dir but the store itself: a key that escaped would land here.
    try (Stream<Path> paths = Files.walk(tempDir)) {
      return paths
          .filter(p -> !p.startsWith(root) || p.equals(root))
          .map(p -> tempDir.relativize(p).toString())
          .collect(Collectors.toSet());
    }
  }

  private FileBlobStore fileStore() {
    return (FileBlobStore) store;
  }

  @Test
  void constructor_missingRoot_createsIt() throws IOException {
    Path nested = tempDir.resolve("a/b/c");

    try (FileBlobStore created = new FileBlobStore(nested)) {
      assertThat(nested).isDirectory();
      assertThat(created.root()).isEqualTo(nested.toRealPath());
    }
  }

  @Test
  void put_nestedKey_writesFileUnderRoot() throws IOException {
    put("hls/v1/720p/1.ts", bytes(10, 1));

    assertThat(root.resolve("hls/v1/720p/1.ts")).hasBinaryContent(bytes(10, 1));
  }

  @Test
  void put_newObject_getsTheUsualFileMode() throws IOException {
    // Not the owner-only mode of Files.createTempFile: another role's user may read the object.
    Path plain = Files.createFile(tempDir.resolve("plain"));
    put("a/b", bytes(3, 1));

    assertThat(Files.getPosixFilePermissions(root.resolve("a/b")))
        .isEqualTo(Files.getPosixFilePermissions(plain));
  }

  @Test
  void delete_lastObjectInDirectory_removesEmptyParents() throws IOException {
    put("hls/v1/720p/1.ts", bytes(10, 1));
    put("hls/v2/a", bytes(10, 1));

    store.delete("hls/v1/720p/1.ts");

    assertThat(root.resolve("hls/v1")).doesNotExist();
    assertThat(root.resolve("hls")).isDirectory();
    assertThat(root).isDirectory();
  }

  @Test
  void deletePrefix_everything_leavesOnlyRootAndTempDir() throws IOException {
    put("hls/v1/720p/1.ts", bytes(10, 1));
    put("originals/v1/source", bytes(10, 1));

    store.deletePrefix("");

    try (Stream<Path> children = Files.list(root)) {
      assertThat(children).containsExactly(root.resolve(FileBlobStore.TEMP_DIR));
    }
  }

  @Test
  void list_strayTempFile_notListed() throws IOException {
    Files.writeString(root.resolve(".tmp/put-123.tmp"), "partial");
    Files.writeString(root.resolve(".DS_Store"), "junk");
    put("a/b", bytes(3, 1));

    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("a/b");
  }

  @Test
  @Timeout(30)
  void put_inProgress_invisibleUntilComplete() throws Exception {
    CountDownLatch halfWritten = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InputStream slow =
        new InputStream() {
          private int sent;

          @Override
          public int read() throws IOException {
            if (sent == 500) {
              halfWritten.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
            }
            return sent < 1000 ? (sent++ & 0x7f) : -1;
          }
        };
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<BlobInfo> put = pool.submit(() -> store.put("a/slow", slow, 1000));
      assertThat(halfWritten.await(10, TimeUnit.SECONDS)).isTrue();

      // Half the bytes are in a temp file; no trace of them as an object.
      assertThat(store.list("")).isEmpty();
      assertThat(store.stat("a/slow")).isEmpty();
      assertThatThrownBy(() -> store.get("a/slow")).isInstanceOf(BlobNotFoundException.class);
      try (Stream<Path> temps = Files.list(root.resolve(FileBlobStore.TEMP_DIR))) {
        assertThat(temps).hasSize(1);
      }

      release.countDown();
      assertThat(put.get(10, TimeUnit.SECONDS).sizeBytes()).isEqualTo(1000);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("a/slow");
  }

  @Test
  void put_failed_leavesNoTempFile() throws IOException {
    assertThatThrownBy(() -> store.put("a/b", new ByteArrayInputStream(new byte[5]), 10))
        .isInstanceOf(IOException.class);

    try (Stream<Path> temps = Files.list(root.resolve(FileBlobStore.TEMP_DIR))) {
      assertThat(temps).isEmpty();
    }
  }

  @Test
  void everyMethod_directorySymlinkOutOfRoot_refused() throws IOException {
    Files.createSymbolicLink(root.resolve("link"), outside);
    Set<String> outsideBefore = outsideSnapshot();

    assertThatThrownBy(() -> store.get("link/secret.txt"))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(BlobNotFoundException.class)
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> store.getRange("link/secret.txt", 0, 3))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> store.stat("link/secret.txt")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> fileStore().localPath("link/secret.txt"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> store.delete("link/secret.txt")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> put("link/new.txt", bytes(3, 1))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> put("link/secret.txt", bytes(3, 1))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> put("link/deeper/new.txt", bytes(3, 1)))
        .isInstanceOf(IOException.class);

    // Listing does not follow the link.
    assertThat(store.list("link/")).isEmpty();
    assertThat(store.list("")).isEmpty();
    assertThat(store.deletePrefix("")).isZero();
    assertThat(outside.resolve("secret.txt")).hasContent("secret");
    assertThat(outsideSnapshot()).isEqualTo(outsideBefore);
  }

  @Test
  void everyMethod_fileSymlinkOutOfRoot_refused() throws IOException {
    Files.createDirectories(root.resolve("hls"));
    Files.createSymbolicLink(root.resolve("hls/index.m3u8"), outside.resolve("secret.txt"));

    assertThatThrownBy(() -> store.get("hls/index.m3u8"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> store.stat("hls/index.m3u8")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> put("hls/index.m3u8", bytes(3, 1))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> store.delete("hls/index.m3u8")).isInstanceOf(IOException.class);

    assertThat(store.list("")).isEmpty();
    assertThat(outside.resolve("secret.txt")).hasContent("secret");
  }

  @Test
  void get_danglingSymlink_refused() throws IOException {
    Files.createSymbolicLink(root.resolve("gone"), tempDir.resolve("nowhere"));

    assertThatThrownBy(() -> store.get("gone")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> put("gone", bytes(3, 1))).isInstanceOf(IOException.class);
    assertThat(tempDir.resolve("nowhere")).doesNotExist();
  }

  @Test
  void get_symlinkInsideRoot_followed() throws IOException {
    put("hls/v1/real.ts", bytes(10, 1));
    Files.createSymbolicLink(root.resolve("hls/v1/alias.ts"), root.resolve("hls/v1/real.ts"));

    assertThat(read("hls/v1/alias.ts")).isEqualTo(bytes(10, 1));
  }

  @Test
  void localPath_presentKey_pathHoldsTheBytes() throws IOException {
    put("hls/v1/720p/1.ts", bytes(100, 1));

    Path path = fileStore().localPath("hls/v1/720p/1.ts").orElseThrow();

    assertThat(path).hasBinaryContent(bytes(100, 1));
    assertThat(path.startsWith(fileStore().root())).isTrue();
  }

  @Test
  void localPath_missingOrDirectory_empty() throws IOException {
    put("hls/v1/720p/1.ts", bytes(100, 1));

    assertThat(fileStore().localPath("hls/v1/720p/2.ts")).isEmpty();
    assertThat(fileStore().localPath("hls/v1")).isEmpty();
  }

  @Test
  void localPath_badKey_throwsIllegalArgument() {
    assertThatThrownBy(() -> fileStore().localPath("../x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void put_keyUnderAnObject_throwsIoException() throws IOException {
    // S3 allows "a" and "a/b" side by side; a directory tree cannot. Say so clearly.
    put("a", bytes(3, 1));

    assertThatThrownBy(() -> put("a/b", bytes(3, 2)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("\"a\" is an object");
    assertThat(read("a")).isEqualTo(bytes(3, 1));
  }

  @Test
  void put_keyThatIsADirectory_throwsIoException() throws IOException {
    put("a/b", bytes(3, 1));

    assertThatThrownBy(() -> put("a", bytes(3, 2)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("directory");
    assertThat(read("a/b")).isEqualTo(bytes(3, 1));
  }
}
