package org.reelbox.edge.cache.internal;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.reelbox.edge.cache.CachePolicy;
import org.reelbox.edge.cache.CacheStats;
import org.reelbox.edge.cache.CachedObject;
import org.reelbox.edge.cache.ObjectMetadata;
import org.reelbox.edge.cache.SegmentCache;
import org.reelbox.edge.cache.SegmentCacheSettings;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge box's segment store: RocksDB for the bytes, Caffeine for the decisions.
 *
 * <h2>Storage</h2>
 *
 * <p>One RocksDB database with two column families. {@code bodies} has integrated BlobDB on ({@code
 * enable_blob_files}, {@code min_blob_size} 4 KiB): a segment body is written once into a blob file
 * and the LSM tree only carries a small reference to it, so compaction does not rewrite megabytes
 * of video; playlists and other small bodies stay inline in the SST files. {@code meta} holds the
 * metadata record (size, CRC32C, content type, ETag, Last-Modified). Body and metadata of an entry
 * are written in one {@link WriteBatch}, so they appear and disappear together. Each record's key
 * is the cache key plus a generation number ({@link EntryCodec}); deleting an evicted copy
 * therefore never touches a newer copy of the same key.
 *
 * <p>Blob garbage (bodies of deleted entries) is reclaimed by blob GC during compaction ({@code
 * enable_blob_garbage_collection}, age cutoff 0.25, forced compaction of blob files that are at
 * least half garbage). Until then it occupies disk: the budget bounds the <em>live</em> bytes, and
 * the physical footprint is live bytes plus garbage not yet collected plus the WAL (capped at 64
 * MiB). Operators size {@code cache.bytes} below the volume by that headroom (docs/edge-cache.md).
 *
 * <h2>Integrity</h2>
 *
 * <p>The CRC32C of every body is taken on put and stored in its metadata record. A get verifies the
 * body it read against it (and its length) before making a {@link CachedObject}; a mismatch drops
 * the entry, counts a corruption and answers a miss, so the handler fetches the object again.
 * RocksDB's own block checksums cover the SST files; the CRC32C also covers blob files and anything
 * that went wrong between the origin read and the write.
 *
 * <h2>Policy</h2>
 *
 * <p>The index is a Caffeine cache of {@link IndexEntry} with {@code maximumWeight} = the budget
 * and the entry's accounted bytes as its weight. Caffeine's W-TinyLFU (Einziger, Friedman, Manes,
 * "TinyLFU: A Highly Efficient Cache Admission Policy", ACM ToS 2017) keeps a small LRU window for
 * recency bursts and admits an entry from the window to the main region only if a CountMin sketch
 * says it has been asked for more often than the victim it would displace. The long tail of
 * one-view segments therefore passes through the window and leaves again without pushing popular
 * segments out. Gets go through {@code getIfPresent} so that every request, hit or miss, feeds the
 * sketch. The removal listener deletes an entry's records from RocksDB. The frequency sketch is not
 * persisted: after a restart the entries are back but their popularity is relearnt.
 *
 * <p>{@link CachePolicy} builds the index, and the trace simulator ({@code
 * benchmarks/cache-policy}) replays traces against the same class.
 *
 * <p>Caffeine runs its maintenance, and so the listener, on the calling thread ({@code
 * executor(Runnable::run)}); nothing runs in the background that could touch a closed database.
 *
 * <h2>The budget is never exceeded: reserve, then write</h2>
 *
 * <p>Caffeine's own weight may run ahead of its maximum between a write and its maintenance, so it
 * cannot be the guard. The guard is {@code bytesOnDisk}, an {@link AtomicLong} of accounted bytes:
 *
 * <ol>
 *   <li>put reads and checksums the body first (a failing body stores nothing);
 *   <li>it inserts a {@code PENDING} entry with {@code putIfAbsent} and runs {@code cleanUp()}, so
 *       the policy evicts (and the listener deletes) victims or rejects the newcomer now;
 *   <li>holding the entry's monitor, if the entry was not removed meanwhile, it <em>reserves</em>
 *       its weight by compare-and-set only if {@code bytesOnDisk + weight <= budget}, then writes
 *       the batch and marks the entry {@code WRITTEN}. If the reservation fails it runs {@code
 *       cleanUp()} again (outside the monitor) and retries twice before declining the put;
 *   <li>the listener, holding the same monitor, marks the entry {@code REMOVED}; if it was written
 *       it deletes the records and only then releases the weight.
 * </ol>
 *
 * <p>So {@code bytesOnDisk} is always at least the accounted bytes of the records present, and by
 * the compare-and-set never above the budget. A writer never calls into Caffeine while holding an
 * entry monitor (the listener may hold Caffeine's eviction lock while it waits for one), so the two
 * locks cannot deadlock.
 *
 * <h2>Concurrency and lifetime</h2>
 *
 * <p>Gets are lock-free apart from a read lock that {@link #close()} takes for writing, so that no
 * thread can use the native handles after they are freed. Two puts of one key race on {@code
 * putIfAbsent}; the loser returns false (the handler above coalesces misses anyway). Objects are
 * immutable, so a put for a stored key keeps the stored copy.
 *
 * <h2>Memory tier</h2>
 *
 * <p>A second, small Caffeine cache (W-TinyLFU as well, weighed in bytes) holds verified bodies of
 * at most {@code memoryTierMaxObjectBytes}: playlists, which every player re-reads, and the hottest
 * small segments. It is filled on put and on disk hits, and emptied by invalidation.
 *
 * <h2>Restart</h2>
 *
 * <p>{@link #open} scans the {@code meta} column family and rebuilds the index with every entry
 * {@code WRITTEN}, keeping the newest generation of a key and deleting older ones (a crash can
 * leave them), and deleting entries that no longer fit a smaller budget.
 */
public final class RocksSegmentCache implements SegmentCache {
  private static final Logger log = LoggerFactory.getLogger(RocksSegmentCache.class);

  /** The {@link SegmentCache.Factory} for this implementation. */
  public static final SegmentCache.Factory FACTORY = RocksSegmentCache::open;

  static final String BODIES_CF = "bodies";
  static final String META_CF = "meta";
  private static final int RESERVE_ATTEMPTS = 3;

  static {
    RocksDB.loadLibrary();
  }

  private final SegmentCacheSettings settings;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> cfOptions;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle bodies;
  private final ColumnFamilyHandle meta;
  private final WriteOptions writeOptions;
  private final ReadOptions readOptions;

  private final Cache<String, IndexEntry> index;
  private final Cache<String, CachedObject> memory;

  private final AtomicLong bytesOnDisk = new AtomicLong();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong generations = new AtomicLong();
  private final LongAdder hits = new LongAdder();
  private final LongAdder memoryHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder hitBytes = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder rejections = new LongAdder();
  private final LongAdder corruptions = new LongAdder();

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed; // written under lifecycle's write lock

  private RocksSegmentCache(
      SegmentCacheSettings settings,
      RocksDB db,
      DBOptions dbOptions,
      List<ColumnFamilyOptions> cfOptions,
      List<ColumnFamilyHandle> handles) {
    this.settings = settings;
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.handles = handles;
    this.bodies = handles.get(1);
    this.meta = handles.get(2);
    this.writeOptions = new WriteOptions().setSync(false);
    this.readOptions = new ReadOptions().setVerifyChecksums(true).setFillCache(false);
    this.index =
        CachePolicy.<String, IndexEntry>newIndex(
            settings.diskBudgetBytes(), (key, entry) -> entry.weight, this::onIndexRemoval);
    this.memory =
        Caffeine.newBuilder()
            .executor(Runnable::run)
            .maximumWeight(settings.memoryTierBytes())
            .<String, CachedObject>weigher(
                (key, object) -> (int) Math.min(Integer.MAX_VALUE, object.sizeBytes() + 64))
            .build();
  }

  /**
   * Opens (or creates) the cache in {@code dir} and rebuilds its index from what is stored there.
   */
  public static RocksSegmentCache open(Path dir, SegmentCacheSettings settings) throws IOException {
    requireNonNull(dir, "dir");
    requireNonNull(settings, "settings");
    Files.createDirectories(dir);
    var dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2)
            // Two column families flush at different times; cap the WAL they keep alive.
            .setMaxTotalWalSize(64L << 20)
            .setKeepLogFileNum(3)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    var defaultOptions = new ColumnFamilyOptions();
    var bodyOptions =
        new ColumnFamilyOptions()
            .setEnableBlobFiles(true)
            .setMinBlobSize(4 << 10)
            .setBlobFileSize(64L << 20)
            // Video is compressed already.
            .setBlobCompressionType(CompressionType.NO_COMPRESSION)
            .setCompressionType(CompressionType.NO_COMPRESSION)
            .setEnableBlobGarbageCollection(true)
            .setBlobGarbageCollectionAgeCutoff(0.25)
            .setBlobGarbageCollectionForceThreshold(0.5)
            .setWriteBufferSize(32L << 20);
    var metaOptions =
        new ColumnFamilyOptions()
            .setCompressionType(CompressionType.LZ4_COMPRESSION)
            .setWriteBufferSize(8L << 20);
    var cfOptions = List.of(defaultOptions, bodyOptions, metaOptions);
    var descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultOptions),
            new ColumnFamilyDescriptor(BODIES_CF.getBytes(), bodyOptions),
            new ColumnFamilyDescriptor(META_CF.getBytes(), metaOptions));
    var handles = new ArrayList<ColumnFamilyHandle>();
    RocksDB db;
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      cfOptions.forEach(ColumnFamilyOptions::close);
      dbOptions.close();
      throw new IOException("cannot open the segment cache in " + dir + ": " + e.getMessage(), e);
    }
    var cache = new RocksSegmentCache(settings, db, dbOptions, cfOptions, handles);
    try {
      cache.rebuildIndex();
    } catch (IOException | RuntimeException e) {
      cache.close();
      throw e;
    }
    return cache;
  }

  @Override
  public Optional<CachedObject> get(String key) {
    EntryCodec.checkedKey(key);
    var lock = lifecycle.readLock();
    lock.lock();
    try {
      checkOpen();
      CachedObject inMemory = memory.getIfPresent(key);
      if (inMemory != null) {
        // Keep the disk index's frequency sketch informed of the request too.
        index.getIfPresent(key);
        memoryHits.increment();
        return hit(inMemory);
      }
      IndexEntry entry = index.getIfPresent(key);
      if (entry == null || !entry.isWritten()) {
        misses.increment();
        return Optional.empty();
      }
      byte[] body = db.get(bodies, readOptions, EntryCodec.dbKey(key, entry.generation));
      if (body == null) {
        // Evicted between the index lookup and the read.
        misses.increment();
        return Optional.empty();
      }
      if (body.length != entry.sizeBytes || Bodies.crc32c(body) != entry.crc32c) {
        corruptions.increment();
        misses.increment();
        log.warn("dropping corrupt cache entry {} ({} bytes read)", key, body.length);
        index.asMap().remove(key, entry);
        return Optional.empty();
      }
      var object = CachedObject.of(key, entry.metadata, entry.crc32c, body);
      offerToMemory(object, entry);
      return hit(object);
    } catch (RocksDBException e) {
      // A read error is a miss; the handler goes to the origin.
      log.warn("cannot read cache entry {}: {}", key, e.getMessage());
      misses.increment();
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean put(String key, ObjectMetadata metadata, InputStream body, long sizeBytes)
      throws IOException {
    EntryCodec.checkedKey(key);
    requireNonNull(metadata, "metadata");
    requireNonNull(body, "body");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
    }
    byte[] metaValue = EntryCodec.encodeMeta(sizeBytes, 0, metadata);
    long weight = EntryCodec.weight(key, sizeBytes, metaValue.length);
    if (sizeBytes > settings.maxObjectBytes() || weight > settings.diskBudgetBytes()) {
      rejections.increment();
      return false;
    }
    checkOpen();
    IndexEntry existing = index.asMap().get(key);
    if (existing != null) {
      return existing.isWritten();
    }
    // Step 1: the whole body, checksummed, before anything is stored. Read outside the lifecycle
    // lock: a slow origin must not hold up close().
    byte[] bytes = Bodies.readExactly(body, (int) sizeBytes);
    int crc = Bodies.crc32c(bytes);
    metaValue = EntryCodec.encodeMeta(sizeBytes, crc, metadata);
    var lock = lifecycle.readLock();
    lock.lock();
    try {
      checkOpen();
      var entry =
          new IndexEntry(
              generations.incrementAndGet(), sizeBytes, crc, metadata, metaValue, weight);
      // Step 2: let the policy decide now.
      IndexEntry raced = index.asMap().putIfAbsent(key, entry);
      if (raced != null) {
        return raced.isWritten();
      }
      index.cleanUp();
      // Step 3: reserve, then write.
      for (int attempt = 1; attempt <= RESERVE_ATTEMPTS; attempt++) {
        WriteOutcome outcome;
        try {
          outcome = tryWrite(key, entry, bytes);
        } catch (IOException e) {
          // Outside the entry's monitor (see the class comment); the listener sees it unwritten.
          index.asMap().remove(key, entry);
          throw e;
        }
        switch (outcome) {
          case WRITTEN:
            offerToMemory(CachedObject.of(key, metadata, crc, bytes), entry);
            return true;
          case REMOVED:
            // Lost admission (the listener counted it) or invalidated meanwhile.
            return false;
          case NO_ROOM:
            index.cleanUp();
            break;
        }
      }
      rejections.increment();
      index.asMap().remove(key, entry);
      return false;
    } finally {
      lock.unlock();
    }
  }

  private enum WriteOutcome {
    WRITTEN,
    REMOVED,
    NO_ROOM
  }

  private WriteOutcome tryWrite(String key, IndexEntry entry, byte[] body) throws IOException {
    synchronized (entry) {
      if (entry.isRemoved()) {
        return WriteOutcome.REMOVED;
      }
      if (!reserve(entry.weight)) {
        return WriteOutcome.NO_ROOM;
      }
      byte[] dbKey = EntryCodec.dbKey(key, entry.generation);
      try (var batch = new WriteBatch()) {
        batch.put(bodies, dbKey, body);
        batch.put(meta, dbKey, entry.metaValue);
        db.write(writeOptions, batch);
      } catch (RocksDBException e) {
        bytesOnDisk.addAndGet(-entry.weight);
        throw new IOException("cannot store cache entry " + key + ": " + e.getMessage(), e);
      }
      entry.markWritten();
      entries.incrementAndGet();
      return WriteOutcome.WRITTEN;
    }
  }

  private boolean reserve(long weight) {
    long budget = settings.diskBudgetBytes();
    while (true) {
      long current = bytesOnDisk.get();
      if (current + weight > budget) {
        return false;
      }
      if (bytesOnDisk.compareAndSet(current, current + weight)) {
        return true;
      }
    }
  }

  private void onIndexRemoval(String key, IndexEntry entry, RemovalCause cause) {
    if (key == null || entry == null) {
      return; // only weak or soft references are collected; this index holds neither
    }
    synchronized (entry) {
      if (!entry.markRemoved()) {
        if (cause.wasEvicted()) {
          rejections.increment(); // lost admission before its body was written
        }
        return;
      }
      byte[] dbKey = EntryCodec.dbKey(key, entry.generation);
      try (var batch = new WriteBatch()) {
        batch.delete(bodies, dbKey);
        batch.delete(meta, dbKey);
        db.write(writeOptions, batch);
      } catch (RocksDBException e) {
        // The records stay until the next restart's rebuild or compaction; keep them accounted.
        log.error("cannot delete cache entry {}: {}", key, e.getMessage());
        return;
      }
      bytesOnDisk.addAndGet(-entry.weight);
      entries.decrementAndGet();
      if (cause.wasEvicted()) {
        evictions.increment();
      }
    }
  }

  @Override
  public boolean contains(String key) {
    EntryCodec.checkedKey(key);
    checkOpen();
    IndexEntry entry = index.asMap().get(key);
    return entry != null && entry.isWritten();
  }

  @Override
  public void invalidate(String key) {
    EntryCodec.checkedKey(key);
    var lock = lifecycle.readLock();
    lock.lock();
    try {
      checkOpen();
      memory.invalidate(key);
      index.invalidate(key);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int invalidatePrefix(String prefix) {
    requireNonNull(prefix, "prefix");
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("prefix must not be empty");
    }
    var lock = lifecycle.readLock();
    lock.lock();
    try {
      checkOpen();
      memory.asMap().keySet().removeIf(k -> k.startsWith(prefix));
      // The index holds every stored key, so a scan of it (in memory) finds them all.
      List<String> keys =
          index.asMap().keySet().stream().filter(k -> k.startsWith(prefix)).toList();
      int removed = 0;
      for (String key : keys) {
        IndexEntry entry = index.asMap().remove(key);
        if (entry != null) {
          removed++;
        }
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CacheStats stats() {
    return new CacheStats(
        hits.sum(),
        memoryHits.sum(),
        misses.sum(),
        hitBytes.sum(),
        evictions.sum(),
        rejections.sum(),
        corruptions.sum(),
        entries.get(),
        bytesOnDisk.get());
  }

  /**
   * RocksDB's view of the disk: live SST bytes plus blob file bytes of the {@code bodies} and
   * {@code meta} column families, garbage not yet collected included. For metrics and tests.
   */
  public long physicalBytes() {
    var lock = lifecycle.readLock();
    lock.lock();
    try {
      checkOpen();
      long total = 0;
      for (ColumnFamilyHandle cf : List.of(bodies, meta)) {
        total += db.getLongProperty(cf, "rocksdb.live-sst-files-size");
        total += db.getLongProperty(cf, "rocksdb.total-blob-file-size");
      }
      return total;
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read RocksDB properties", e);
    } finally {
      lock.unlock();
    }
  }

  /** The RocksDB handle and column families, for tests that tamper with stored records. */
  RocksDB db() {
    return db;
  }

  ColumnFamilyHandle bodiesHandle() {
    return bodies;
  }

  /** The generation a key is stored under, for tests. */
  long generationOf(String key) {
    IndexEntry entry = index.asMap().get(key);
    return entry == null ? -1 : entry.generation;
  }

  @Override
  public void close() {
    var lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      memory.invalidateAll();
      try {
        // Flush so that a reopen replays no WAL; the WAL would recover the same data anyway.
        db.flushWal(true);
      } catch (RocksDBException e) {
        log.warn("cannot sync the segment cache's WAL: {}", e.getMessage());
      }
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      writeOptions.close();
      readOptions.close();
      cfOptions.forEach(ColumnFamilyOptions::close);
      dbOptions.close();
    } finally {
      lock.unlock();
    }
  }

  private void rebuildIndex() throws IOException {
    Map<String, IndexEntry> newest = new HashMap<>();
    List<byte[]> stale = new ArrayList<>();
    long maxGeneration = 0;
    try (RocksIterator it = db.newIterator(meta)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] dbKey = it.key();
        EntryCodec.StoredKey stored;
        EntryCodec.StoredMeta storedMeta;
        try {
          stored = EntryCodec.decodeKey(dbKey);
          storedMeta = EntryCodec.decodeMeta(it.value());
        } catch (IOException | IllegalArgumentException e) {
          log.warn("dropping unreadable cache metadata record: {}", e.getMessage());
          stale.add(dbKey);
          continue;
        }
        maxGeneration = Math.max(maxGeneration, stored.generation());
        byte[] metaValue = it.value();
        var entry =
            new IndexEntry(
                stored.generation(),
                storedMeta.sizeBytes(),
                storedMeta.crc32c(),
                storedMeta.metadata(),
                metaValue,
                EntryCodec.weight(stored.key(), storedMeta.sizeBytes(), metaValue.length));
        IndexEntry previous = newest.put(stored.key(), entry);
        if (previous != null) {
          IndexEntry older = previous.generation < entry.generation ? previous : entry;
          if (older == entry) {
            newest.put(stored.key(), previous);
          }
          stale.add(EntryCodec.dbKey(stored.key(), older.generation));
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("cannot scan the segment cache's metadata: " + e.getMessage(), e);
    }
    generations.set(maxGeneration);
    for (var e : newest.entrySet()) {
      IndexEntry entry = e.getValue();
      if (entry.sizeBytes > settings.maxObjectBytes() || !reserve(entry.weight)) {
        stale.add(EntryCodec.dbKey(e.getKey(), entry.generation));
        continue;
      }
      synchronized (entry) {
        entry.markWritten();
      }
      entries.incrementAndGet();
      index.put(e.getKey(), entry);
    }
    index.cleanUp();
    try (var batch = new WriteBatch()) {
      for (byte[] dbKey : stale) {
        batch.delete(bodies, dbKey);
        batch.delete(meta, dbKey);
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IOException("cannot drop stale cache records: " + e.getMessage(), e);
    }
    log.info(
        "segment cache opened: {} entries, {} of {} bytes",
        entries.get(),
        bytesOnDisk.get(),
        settings.diskBudgetBytes());
  }

  private Optional<CachedObject> hit(CachedObject object) {
    hits.increment();
    hitBytes.add(object.sizeBytes());
    return Optional.of(object);
  }

  private void offerToMemory(CachedObject object, IndexEntry entry) {
    if (settings.memoryTierBytes() > 0
        && object.sizeBytes() <= settings.memoryTierMaxObjectBytes()) {
      memory.put(object.key(), object);
      // An invalidation may have run since the entry was read: do not resurrect the object.
      if (index.asMap().get(object.key()) != entry) {
        memory.asMap().remove(object.key(), object);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("segment cache is closed");
    }
  }
}
