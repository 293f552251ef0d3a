package org.reelbox.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.reelbox.edge.EdgeFixtures.VIDEO;
import static org.reelbox.edge.EdgeFixtures.config;
import static org.reelbox.edge.EdgeFixtures.get;
import static org.reelbox.edge.EdgeFixtures.pattern;
import static org.reelbox.edge.EdgeFixtures.start;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** A box that restarts keeps its cache; a body corrupted on disk is refetched, never served. */
class EdgeRestartTest {
  static final String SEG0 = VIDEO + "/720p/0.ts";
  static final String SEG1 = VIDEO + "/720p/1.ts";
  static final byte[] SEG0_BYTES = pattern(200_000, 5);
  static final byte[] SEG1_BYTES = pattern(300_000, 6);

  @TempDir Path dir;

  @Test
  void restart_cachedObjectsAreHits_corruptBodyIsRefetched() throws Exception {
    try (TestOrigin origin = new TestOrigin()) {
      origin.put(SEG0, SEG0_BYTES).put(SEG1, SEG1_BYTES);
      EdgeConfig config = config(dir, origin.url());
      try (EdgeRole edge = start(config)) {
        get(edge, "/v/" + SEG0);
        get(edge, "/v/" + SEG1);
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.stats().entries() == 2);
      }

      try (EdgeRole edge = start(config)) {
        assertThat(edge.stats().entries()).isEqualTo(2);
        var r = get(edge, "/v/" + SEG0);
        assertThat(r.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(r.body()).isEqualTo(SEG0_BYTES);
        assertThat(origin.fetches(SEG0)).isEqualTo(1);
      }

      flipOneByteInEveryStoredBody(dir.resolve("cache"));

      try (EdgeRole edge = start(config)) {
        var r = get(edge, "/v/" + SEG1);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(r.body()).isEqualTo(SEG1_BYTES);
        assertThat(origin.fetches(SEG1)).isEqualTo(2);
        String metrics = new String(get(edge, "/metrics").body(), StandardCharsets.UTF_8);
        assertThat(metrics).containsPattern("edge_cache_corruptions_total\\{[^}]*} 1\\.0");
        // The refetched copy is stored again and served as a hit.
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    "HIT"
                        .equals(
                            get(edge, "/v/" + SEG1).headers().firstValue("X-Cache").orElse("")));
        assertThat(get(edge, "/v/" + SEG1).body()).isEqualTo(SEG1_BYTES);
      }
    }
  }

  private static void flipOneByteInEveryStoredBody(Path cacheDir) throws Exception {
    RocksDB.loadLibrary();
    List<byte[]> names;
    try (Options options = new Options()) {
      names = RocksDB.listColumnFamilies(options, cacheDir.toString());
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (byte[] name : names) {
      descriptors.add(new ColumnFamilyDescriptor(name));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, cacheDir.toString(), descriptors, handles)) {
      ColumnFamilyHandle bodies = null;
      for (int i = 0; i < names.size(); i++) {
        if (new String(names.get(i), StandardCharsets.UTF_8).equals("bodies")) {
          bodies = handles.get(i);
        }
      }
      assertThat(bodies).isNotNull();
      List<byte[][]> changed = new ArrayList<>();
      try (RocksIterator it = db.newIterator(bodies)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          byte[] value = it.value();
          value[value.length / 2] ^= 0x5A;
          changed.add(new byte[][] {it.key(), value});
        }
      }
      assertThat(changed).hasSize(2);
      for (byte[][] kv : changed) {
        db.put(bodies, kv[0], kv[1]);
      }
      handles.forEach(ColumnFamilyHandle::close);
    }
  }
}
