package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reelbox.control.store.internal.ApiKeys;
import org.reelbox.control.store.internal.Fields;
import org.reelbox.control.store.internal.JdbcMetadataStore;

/**
 * The {@link MetadataStore} fake for tests of the code above the store (REST handlers, the
 * pipeline): plain maps under one lock. It passes {@link MetadataStoreContract}, so it behaves like
 * the real stores in everything the contract pins down.
 */
public final class InMemoryMetadataStore implements MetadataStore {
  private record StoredUser(User user, String passwordHash) {}

  private record StoredKey(ApiKey key, String hash) {}

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<Long, StoredUser> users = new LinkedHashMap<>();
  private final Map<Long, StoredKey> keys = new LinkedHashMap<>();
  private final Map<VideoId, Video> videos = new HashMap<>();
  private long nextUserId = 1;
  private long nextKeyId = 1;

  public InMemoryMetadataStore(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public synchronized User createUser(String username, UserRole role, String passwordHash) {
    User.checkUsername(username);
    requireNonNull(role, "role");
    Fields.nonBlankText("passwordHash", passwordHash, 100);
    if (users.values().stream().anyMatch(u -> u.user().username().equals(username))) {
      throw new DuplicateUsernameException(username, null);
    }
    Instant now = now();
    User user = new User(nextUserId++, username, role, now, now);
    users.put(user.id(), new StoredUser(user, passwordHash));
    return user;
  }

  @Override
  public synchronized Optional<User> findUserById(long userId) {
    return Optional.ofNullable(users.get(userId)).map(StoredUser::user);
  }

  @Override
  public synchronized Optional<User> findUserByUsername(String username) {
    requireNonNull(username, "username");
    return users.values().stream()
        .map(StoredUser::user)
        .filter(u -> u.username().equals(username))
        .findFirst();
  }

  @Override
  public synchronized Optional<String> findPasswordHash(long userId) {
    return Optional.ofNullable(users.get(userId)).map(StoredUser::passwordHash);
  }

  @Override
  public synchronized List<User> listUsers(int offset, int limit) {
    Fields.page(offset, limit, MAX_PAGE_SIZE);
    return users.values().stream().map(StoredUser::user).skip(offset).limit(limit).toList();
  }

  @Override
  public synchronized Optional<User> updateUser(long userId, UserPatch patch) {
    requireNonNull(patch, "patch");
    StoredUser stored = users.get(userId);
    if (stored == null) {
      return Optional.empty();
    }
    User old = stored.user();
    Instant now = now();
    Instant disabledAt = old.disabledAt();
    if (patch.disabled() != null) {
      disabledAt = patch.disabled() ? (disabledAt != null ? disabledAt : now) : null;
    }
    User user =
        new User(
            old.id(),
            old.username(),
            patch.role() != null ? patch.role() : old.role(),
            old.createdAt(),
            now,
            disabledAt);
    String hash = patch.passwordHash() != null ? patch.passwordHash() : stored.passwordHash();
    users.put(userId, new StoredUser(user, hash));
    return Optional.of(user);
  }

  @Override
  public synchronized CreatedApiKey createApiKey(long userId, String name) {
    ApiKey.checkName(name);
    if (!users.containsKey(userId)) {
      throw new UnknownUserException(userId, null);
    }
    String plaintext = ApiKeys.generate(random);
    ApiKey key =
        new ApiKey(nextKeyId++, userId, name, ApiKeys.shownPrefix(plaintext), now(), null, null);
    keys.put(key.id(), new StoredKey(key, ApiKeys.hash(plaintext)));
    return new CreatedApiKey(key, plaintext);
  }

  @Override
  public synchronized List<ApiKey> listApiKeys(long userId) {
    return keys.values().stream().map(StoredKey::key).filter(k -> k.userId() == userId).toList();
  }

  @Override
  public synchronized Optional<User> findUserByApiKey(String plaintextKey) {
    requireNonNull(plaintextKey, "plaintextKey");
    String hash = ApiKeys.hash(plaintextKey);
    Instant now = now();
    for (StoredKey stored : keys.values()) {
      ApiKey key = stored.key();
      if (stored.hash().equals(hash) && !key.revoked()) {
        if (key.lastUsedAt() == null
            || !key.lastUsedAt().plus(JdbcMetadataStore.LAST_USED_GRANULARITY).isAfter(now)) {
          keys.put(
              key.id(),
              new StoredKey(
                  new ApiKey(
                      key.id(), key.userId(), key.name(), key.prefix(), key.createdAt(), now, null),
                  hash));
        }
        return findUserById(key.userId()).filter(u -> !u.disabled());
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized boolean revokeApiKey(long apiKeyId) {
    StoredKey stored = keys.get(apiKeyId);
    if (stored == null || stored.key().revoked()) {
      return false;
    }
    ApiKey key = stored.key();
    keys.put(
        apiKeyId,
        new StoredKey(
            new ApiKey(
                key.id(),
                key.userId(),
                key.name(),
                key.prefix(),
                key.createdAt(),
                key.lastUsedAt(),
                now()),
            stored.hash()));
    return true;
  }

  @Override
  public synchronized Video createVideo(NewVideo video) {
    requireNonNull(video, "video");
    if (!users.containsKey(video.ownerId())) {
      throw new UnknownUserException(video.ownerId(), null);
    }
    VideoId id;
    do {
      id = VideoId.random();
    } while (videos.containsKey(id));
    Instant now = now();
    Video created =
        new Video(
            id,
            video.ownerId(),
            video.title(),
            video.description(),
            video.language(),
            video.tags(),
            VideoState.UPLOADING,
            null,
            video.filename(),
            video.contentType(),
            video.profile(),
            null,
            null,
            null,
            video.uploadExpiresAt(),
            now,
            now,
            video.planOptions(),
            null);
    videos.put(id, created);
    return created;
  }

  @Override
  public synchronized Optional<Video> findVideo(VideoId videoId) {
    requireNonNull(videoId, "videoId");
    return Optional.ofNullable(videos.get(videoId));
  }

  @Override
  public synchronized List<Video> listVideosByOwner(long ownerId, int offset, int limit) {
    Fields.page(offset, limit, MAX_PAGE_SIZE);
    List<Video> owned = new ArrayList<>();
    for (Video video : videos.values()) {
      if (video.ownerId() == ownerId) {
        owned.add(video);
      }
    }
    owned.sort(
        Comparator.comparing(Video::createdAt).thenComparing(v -> v.id().value()).reversed());
    return owned.stream().skip(offset).limit(limit).toList();
  }

  @Override
  public synchronized Optional<Video> updateVideoMetadata(VideoId videoId, VideoPatch patch) {
    requireNonNull(videoId, "videoId");
    requireNonNull(patch, "patch");
    Video v = videos.get(videoId);
    if (v == null) {
      return Optional.empty();
    }
    Video updated = v.patched(patch, now());
    videos.put(videoId, updated);
    return Optional.of(updated);
  }

  @Override
  public synchronized TransitionResult transitionVideo(VideoTransition t) {
    requireNonNull(t, "transition");
    Video v = videos.get(t.videoId());
    if (v == null) {
      return TransitionResult.notFound();
    }
    if (!t.from().contains(v.state())) {
      return TransitionResult.notApplied(t, v);
    }
    Video updated = v.transitioned(t, now());
    videos.put(v.id(), updated);
    return TransitionResult.applied(updated);
  }
}
