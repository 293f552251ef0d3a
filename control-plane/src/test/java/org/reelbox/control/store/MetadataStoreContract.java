package org.reelbox.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.common.testing.MutableClock;
import org.reelbox.control.store.TransitionResult.Outcome;

/**
 * What every {@link MetadataStore} must do. Each implementation's test extends this and supplies a
 * store on an empty database; every test here starts from that empty state.
 */
public abstract class MetadataStoreContract {
  // Nanoseconds on purpose: the stores keep microseconds, and the tests check they say so.
  protected static final Instant START = Instant.parse("2026-03-01T12:00:00.123456789Z");
  protected static final String HASH =
      "$2a$04$abcdefghijklmnopqrstuuJ7mGk1yDkC0pW6wq0v0Hk3jO6Cq5F8W";
  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  protected final MutableClock clock = new MutableClock(START);
  protected MetadataStore store;

  /** A store on an empty database, taking its time from {@code clock}. Called before each test. */
  protected abstract MetadataStore newStore(Clock clock) throws Exception;

  /** Releases what {@link #newStore} opened. Called after each test. */
  protected void closeStore() throws Exception {}

  @BeforeEach
  void openStore() throws Exception {
    store = newStore(clock);
  }

  @AfterEach
  void releaseStore() throws Exception {
    closeStore();
  }

  private static Instant micros(Instant instant) {
    return instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  private User creator(String username) {
    return store.createUser(username, UserRole.CREATOR, HASH);
  }

  private Video video(User owner, String title) {
    return store.createVideo(NewVideo.titled(owner.id(), title));
  }

  // ---- users

  @Test
  void createUser_newUsername_returnsUserWithIdAndTimestamps() {
    User user = store.createUser("alice", UserRole.ADMIN, HASH);

    assertThat(user.id()).isPositive();
    assertThat(user.username()).isEqualTo("alice");
    assertThat(user.role()).isEqualTo(UserRole.ADMIN);
    assertThat(user.createdAt()).isEqualTo(micros(START));
    assertThat(user.updatedAt()).isEqualTo(micros(START));
    assertThat(store.findUserById(user.id())).contains(user);
    assertThat(store.findUserByUsername("alice")).contains(user);
  }

  @Test
  void createUser_duplicateUsername_throwsDuplicateUsernameException() {
    creator("alice");

    assertThatThrownBy(() -> store.createUser("alice", UserRole.VIEWER, HASH))
        .isInstanceOf(DuplicateUsernameException.class)
        .hasMessageContaining("alice")
        .satisfies(
            e ->
                assertThat(((DuplicateUsernameException) e).toApiException().httpStatus())
                    .isEqualTo(409));
    assertThat(store.listUsers(0, 10)).hasSize(1);
  }

  @Test
  void createUser_concurrentSameUsername_exactlyOneSucceeds() throws Exception {
    List<Object> results =
        race(
            8,
            i ->
                () -> {
                  try {
                    return store.createUser("bob", UserRole.CREATOR, HASH);
                  } catch (DuplicateUsernameException e) {
                    return e;
                  }
                });

    assertThat(results).filteredOn(User.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(DuplicateUsernameException.class::isInstance).hasSize(7);
  }

  @Test
  void createUser_invalidArguments_throwWithoutWriting() {
    for (String bad :
        List.of("", "Alice", "al ice", "-alice", "a".repeat(65), "álvaro", "a\u0000")) {
      assertThatThrownBy(() -> store.createUser(bad, UserRole.CREATOR, HASH))
          .as("username %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("username");
    }
    assertThatThrownBy(() -> store.createUser("alice", null, HASH))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.createUser("alice", UserRole.CREATOR, " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.listUsers(0, 10)).isEmpty();
  }

  @Test
  void createUser_longestUsername_roundTrips() {
    String name = "a" + "b.c_d-".repeat(10) + "xyz";
    assertThat(name).hasSize(64);

    User user = creator(name);

    assertThat(store.findUserByUsername(name)).contains(user);
  }

  @Test
  void findUser_unknownOrMalformed_returnsEmpty() {
    creator("alice");

    assertThat(store.findUserById(999_999)).isEmpty();
    assertThat(store.findUserByUsername("carol")).isEmpty();
    assertThat(store.findUserByUsername("ALICE")).isEmpty();
    assertThat(store.findUserByUsername("not a username")).isEmpty();
  }

  @Test
  void findPasswordHash_existingAndUnknown_returnsStoredHashOrEmpty() {
    User alice = creator("alice");

    assertThat(store.findPasswordHash(alice.id())).contains(HASH);
    assertThat(store.findPasswordHash(alice.id() + 1000)).isEmpty();
  }

  @Test
  void listUsers_pages_inCreationOrder() {
    List<User> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(creator("user" + i));
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(store.listUsers(0, 2)).containsExactly(created.get(0), created.get(1));
    assertThat(store.listUsers(2, 2)).containsExactly(created.get(2), created.get(3));
    assertThat(store.listUsers(4, 2)).containsExactly(created.get(4));
    assertThat(store.listUsers(5, 2)).isEmpty();
    assertThat(store.listUsers(0, MetadataStore.MAX_PAGE_SIZE)).isEqualTo(created);
  }

  @Test
  void listUsers_badPage_throwsIllegalArgument() {
    assertThatThrownBy(() -> store.listUsers(-1, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.listUsers(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.listUsers(0, MetadataStore.MAX_PAGE_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- API keys

  @Test
  void createApiKey_newKey_returnsPlaintextOnceAndStoresOnlyPrefix() {
    User alice = creator("alice");

    CreatedApiKey created = store.createApiKey(alice.id(), "laptop");

    assertThat(created.plaintext()).matches("rbx_[A-Za-z0-9_-]{43}");
    assertThat(created.toString()).doesNotContain(created.plaintext().substring(4));
    ApiKey key = created.key();
    assertThat(key.userId()).isEqualTo(alice.id());
    assertThat(key.name()).isEqualTo("laptop");
    assertThat(key.prefix()).isEqualTo(created.plaintext().substring(0, 12));
    assertThat(key.createdAt()).isEqualTo(micros(START));
    assertThat(key.lastUsedAt()).isNull();
    assertThat(key.revoked()).isFalse();
    assertThat(store.listApiKeys(alice.id())).containsExactly(key);
  }

  @Test
  void createApiKey_twice_givesDistinctKeys() {
    User alice = creator("alice");

    CreatedApiKey first = store.createApiKey(alice.id(), "one");
    CreatedApiKey second = store.createApiKey(alice.id(), "two");

    assertThat(first.plaintext()).isNotEqualTo(second.plaintext());
    assertThat(store.listApiKeys(alice.id())).containsExactly(first.key(), second.key());
    assertThat(store.findUserByApiKey(first.plaintext())).contains(alice);
    assertThat(store.findUserByApiKey(second.plaintext())).contains(alice);
  }

  @Test
  void createApiKey_unknownUser_throwsUnknownUserException() {
    assertThatThrownBy(() -> store.createApiKey(424_242, "laptop"))
        .isInstanceOf(UnknownUserException.class)
        .hasMessageContaining("424242");
  }

  @Test
  void createApiKey_badName_throwsIllegalArgument() {
    User alice = creator("alice");

    assertThatThrownBy(() -> store.createApiKey(alice.id(), " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.createApiKey(alice.id(), "x".repeat(101)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.createApiKey(alice.id(), "line\nbreak"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.listApiKeys(alice.id())).isEmpty();
  }

  @Test
  void updateUser_eachField_changesOnlyItAndTouchesUpdatedAt() {
    User alice = creator("alice");
    clock.advance(Duration.ofSeconds(5));

    User promoted = store.updateUser(alice.id(), UserPatch.NONE.withRole(UserRole.ADMIN)).get();
    assertThat(promoted.role()).isEqualTo(UserRole.ADMIN);
    assertThat(promoted.updatedAt()).isEqualTo(micros(START.plusSeconds(5)));
    assertThat(promoted.createdAt()).isEqualTo(alice.createdAt());
    assertThat(promoted.disabled()).isFalse();
    assertThat(store.findPasswordHash(alice.id())).contains(HASH);

    String newHash = "$2a$04$" + "b".repeat(53);
    clock.advance(Duration.ofSeconds(5));
    User rehashed = store.updateUser(alice.id(), UserPatch.NONE.withPasswordHash(newHash)).get();
    assertThat(rehashed.role()).isEqualTo(UserRole.ADMIN);
    assertThat(store.findPasswordHash(alice.id())).contains(newHash);

    clock.advance(Duration.ofSeconds(5));
    User touched = store.updateUser(alice.id(), UserPatch.NONE).get();
    assertThat(touched.updatedAt()).isEqualTo(micros(START.plusSeconds(15)));
    assertThat(store.findUserById(alice.id())).contains(touched);
  }

  @Test
  void updateUser_disableAndEnable_setsKeepsAndClearsDisabledAt() {
    User alice = creator("alice");
    clock.advance(Duration.ofSeconds(5));

    User disabled = store.updateUser(alice.id(), UserPatch.NONE.withDisabled(true)).get();
    assertThat(disabled.disabledAt()).isEqualTo(micros(START.plusSeconds(5)));
    assertThat(disabled.role()).isEqualTo(UserRole.CREATOR);
    clock.advance(Duration.ofSeconds(5));
    // Disabled again: the first time stays.
    assertThat(store.updateUser(alice.id(), UserPatch.NONE.withDisabled(true)).get().disabledAt())
        .isEqualTo(micros(START.plusSeconds(5)));
    assertThat(store.findUserByUsername("alice").get().disabled()).isTrue();
    assertThat(store.listUsers(0, 10).get(0).disabled()).isTrue();

    User enabled = store.updateUser(alice.id(), UserPatch.NONE.withDisabled(false)).get();
    assertThat(enabled.disabledAt()).isNull();
    assertThat(store.findUserById(alice.id())).contains(enabled);
  }

  @Test
  void updateUser_unknownUserOrNullPatch_emptyOrThrows() {
    assertThat(store.updateUser(987_654, UserPatch.NONE.withRole(UserRole.ADMIN))).isEmpty();
    User alice = creator("alice");
    assertThatThrownBy(() -> store.updateUser(alice.id(), null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void findUserByApiKey_disabledUser_returnsEmptyUntilEnabled() {
    User alice = creator("alice");
    String key = store.createApiKey(alice.id(), "laptop").plaintext();
    store.updateUser(alice.id(), UserPatch.NONE.withDisabled(true));

    assertThat(store.findUserByApiKey(key)).isEmpty();

    User enabled = store.updateUser(alice.id(), UserPatch.NONE.withDisabled(false)).get();
    assertThat(store.findUserByApiKey(key)).contains(enabled);
  }

  @Test
  void findUserByApiKey_validKey_returnsUserAndRecordsUse() {
    User alice = creator("alice");
    CreatedApiKey created = store.createApiKey(alice.id(), "laptop");
    clock.advance(Duration.ofSeconds(5));

    assertThat(store.findUserByApiKey(created.plaintext())).contains(alice);

    assertThat(store.listApiKeys(alice.id()).get(0).lastUsedAt())
        .isEqualTo(micros(START.plusSeconds(5)));
  }

  @Test
  void findUserByApiKey_usedAgain_recordsUseAtMostOncePerMinute() {
    User alice = creator("alice");
    String key = store.createApiKey(alice.id(), "laptop").plaintext();
    store.findUserByApiKey(key);

    clock.advance(Duration.ofSeconds(59));
    store.findUserByApiKey(key);
    assertThat(store.listApiKeys(alice.id()).get(0).lastUsedAt()).isEqualTo(micros(START));

    clock.advance(Duration.ofSeconds(1));
    store.findUserByApiKey(key);
    assertThat(store.listApiKeys(alice.id()).get(0).lastUsedAt())
        .isEqualTo(micros(START.plusSeconds(60)));
  }

  @Test
  void findUserByApiKey_wrongKey_returnsEmpty() {
    User alice = creator("alice");
    String key = store.createApiKey(alice.id(), "laptop").plaintext();
    char last = key.charAt(key.length() - 1);
    String oneCharOff = key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');

    for (String wrong :
        List.of(
            oneCharOff,
            key.substring(0, 12),
            key + "x",
            " " + key,
            key.toUpperCase(java.util.Locale.ROOT),
            "",
            "rbx_",
            "not-a-key-at-all",
            "rbx_" + "A".repeat(43))) {
      assertThat(store.findUserByApiKey(wrong)).as("key %s", wrong).isEmpty();
    }
    assertThat(store.listApiKeys(alice.id()).get(0).lastUsedAt()).isNull();
    assertThatThrownBy(() -> store.findUserByApiKey(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void revokeApiKey_liveKey_stopsAuthenticatingAndLeavesOtherKeys() {
    User alice = creator("alice");
    CreatedApiKey revoked = store.createApiKey(alice.id(), "old");
    CreatedApiKey kept = store.createApiKey(alice.id(), "new");
    clock.advance(Duration.ofMinutes(3));

    assertThat(store.revokeApiKey(revoked.key().id())).isTrue();

    assertThat(store.findUserByApiKey(revoked.plaintext())).isEmpty();
    assertThat(store.findUserByApiKey(kept.plaintext())).contains(alice);
    ApiKey stored = store.listApiKeys(alice.id()).get(0);
    assertThat(stored.revoked()).isTrue();
    assertThat(stored.revokedAt()).isEqualTo(micros(START.plus(Duration.ofMinutes(3))));
    assertThat(stored.lastUsedAt()).isNull();
  }

  @Test
  void revokeApiKey_againOrUnknown_returnsFalse() {
    User alice = creator("alice");
    CreatedApiKey key = store.createApiKey(alice.id(), "old");
    store.revokeApiKey(key.key().id());
    Instant revokedAt = store.listApiKeys(alice.id()).get(0).revokedAt();
    clock.advance(Duration.ofMinutes(1));

    assertThat(store.revokeApiKey(key.key().id())).isFalse();
    assertThat(store.revokeApiKey(987_654)).isFalse();
    assertThat(store.listApiKeys(alice.id()).get(0).revokedAt()).isEqualTo(revokedAt);
  }

  // ---- videos

  @Test
  void createVideo_newVideo_isUploadingWithFreshIdAndReadsBackEqual() {
    User alice = creator("alice");

    Video video = store.createVideo(new NewVideo(alice.id(), "Cat", "A cat.\nOn a mat.", "en-GB"));

    assertThat(VideoId.isValid(video.id().value())).isTrue();
    assertThat(video.ownerId()).isEqualTo(alice.id());
    assertThat(video.state()).isEqualTo(VideoState.UPLOADING);
    assertThat(video.errorCode()).isNull();
    assertThat(video.sizeBytes()).isNull();
    assertThat(video.sha256()).isNull();
    assertThat(video.durationMs()).isNull();
    assertThat(video.createdAt()).isEqualTo(micros(START));
    assertThat(video.updatedAt()).isEqualTo(micros(START));
    assertThat(store.findVideo(video.id())).contains(video);
  }

  @Test
  void createVideo_many_haveDistinctIds() {
    User alice = creator("alice");
    Set<VideoId> ids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      ids.add(video(alice, "v" + i).id());
    }
    assertThat(ids).hasSize(50);
  }

  @Test
  void createVideo_unknownOwner_throwsUnknownUserException() {
    assertThatThrownBy(() -> store.createVideo(NewVideo.titled(31_337, "orphan")))
        .isInstanceOf(UnknownUserException.class)
        .hasMessageContaining("31337");
  }

  @Test
  void createVideo_unicodeText_roundTrips() {
    User alice = creator("alice");
    String title = "Ünïcødé 🎬 猫の動画 — שלום עולם e\u0301 👩‍👩‍👧";
    String description = "Línea uno\n\tzwei: 🐈‍⬛\r\nтри — ٣ — 𝄞";

    Video video = store.createVideo(new NewVideo(alice.id(), title, description, "zh-Hant-TW"));

    Video read = store.findVideo(video.id()).orElseThrow();
    assertThat(read.title()).isEqualTo(title);
    assertThat(read.description()).isEqualTo(description);
    assertThat(read.language()).isEqualTo("zh-Hant-TW");
    assertThat(read).isEqualTo(video);
  }

  @Test
  void createVideo_longestTextOfSurrogatePairs_roundTrips() {
    User alice = creator("alice");
    String title = "🎥".repeat(Video.MAX_TITLE_LENGTH / 2);
    String description = "𝄞".repeat(Video.MAX_DESCRIPTION_LENGTH / 2);

    Video video = store.createVideo(new NewVideo(alice.id(), title, description, null));

    assertThat(store.findVideo(video.id())).contains(video);
  }

  @Test
  void createVideo_badText_throwsIllegalArgumentWithoutWriting() {
    User alice = creator("alice");
    List<NewVideoArgs> bad =
        List.of(
            new NewVideoArgs("", "", null),
            new NewVideoArgs("   ", "", null),
            new NewVideoArgs("nul\u0000byte", "", null),
            new NewVideoArgs("lone \uD83C surrogate", "", null),
            new NewVideoArgs("two\nlines", "", null),
            new NewVideoArgs("x".repeat(Video.MAX_TITLE_LENGTH + 1), "", null),
            new NewVideoArgs("ok", "nul\u0000", null),
            new NewVideoArgs("ok", "bell\u0007", null),
            new NewVideoArgs("ok", "x".repeat(Video.MAX_DESCRIPTION_LENGTH + 1), null),
            new NewVideoArgs("ok", "", "e n"),
            new NewVideoArgs("ok", "", "e"),
            new NewVideoArgs("ok", "", "en_US"));
    for (NewVideoArgs args : bad) {
      assertThatThrownBy(
              () ->
                  store.createVideo(
                      new NewVideo(alice.id(), args.title, args.description, args.language)))
          .as("%s", args)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store.listVideosByOwner(alice.id(), 0, 10)).isEmpty();
  }

  private record NewVideoArgs(String title, String description, String language) {}

  @Test
  void timestamps_roundTripAtMicrosecondPrecision() {
    User alice = creator("alice");
    for (Instant instant :
        List.of(
            Instant.parse("1999-12-31T23:59:59.999999999Z"),
            Instant.parse("2038-01-19T03:14:08.000001Z"),
            Instant.parse("2100-02-28T23:00:00.5Z"),
            Instant.parse("1970-01-01T00:00:00Z"))) {
      clock.set(instant);

      Video video = video(alice, "at " + instant);

      assertThat(video.createdAt()).isEqualTo(micros(instant));
      assertThat(store.findVideo(video.id()).orElseThrow().createdAt()).isEqualTo(micros(instant));
    }
  }

  @Test
  void findVideo_unknownId_returnsEmpty() {
    assertThat(store.findVideo(VideoId.of("AAAAAAAAAAA"))).isEmpty();
    assertThatThrownBy(() -> store.findVideo(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void listVideosByOwner_pages_newestFirstAndOnlyTheOwners() {
    User alice = creator("alice");
    User bob = creator("bob");
    List<Video> alices = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      alices.add(video(alice, "alice " + i));
      video(bob, "bob " + i);
      clock.advance(Duration.ofMillis(1));
    }

    assertThat(store.listVideosByOwner(alice.id(), 0, 2))
        .containsExactly(alices.get(4), alices.get(3));
    assertThat(store.listVideosByOwner(alice.id(), 2, 2))
        .containsExactly(alices.get(2), alices.get(1));
    assertThat(store.listVideosByOwner(alice.id(), 4, 2)).containsExactly(alices.get(0));
    assertThat(store.listVideosByOwner(alice.id(), 5, 2)).isEmpty();
    assertThat(store.listVideosByOwner(424_242, 0, 10)).isEmpty();
    assertThatThrownBy(() -> store.listVideosByOwner(alice.id(), 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listVideosByOwner_sameCreationTime_pagesNeverOverlap() {
    User alice = creator("alice");
    Set<Video> all = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      all.add(video(alice, "tie " + i));
    }

    List<Video> paged = new ArrayList<>();
    for (int offset = 0; offset < 7; offset += 3) {
      paged.addAll(store.listVideosByOwner(alice.id(), offset, 3));
    }

    assertThat(paged).hasSize(7).doesNotHaveDuplicates();
    assertThat(new HashSet<>(paged)).isEqualTo(all);
    assertThat(paged).isEqualTo(store.listVideosByOwner(alice.id(), 0, 7));
  }

  @Test
  void updateVideoMetadata_existingVideo_replacesTextAndTouchesUpdatedAt() {
    User alice = creator("alice");
    Video video = store.createVideo(new NewVideo(alice.id(), "draft", "old", "en"));
    clock.advance(Duration.ofSeconds(30));

    Optional<Video> updated =
        store.updateVideoMetadata(
            video.id(),
            VideoPatch.NONE
                .withTitle("Final title ✓")
                .withDescription("new\ndescription")
                .withLanguage("")
                .withTags(List.of("cats", "Katzen 🐈")));

    assertThat(updated).isPresent();
    Video v = updated.get();
    assertThat(v.title()).isEqualTo("Final title ✓");
    assertThat(v.description()).isEqualTo("new\ndescription");
    assertThat(v.language()).isNull();
    assertThat(v.tags()).containsExactly("cats", "Katzen 🐈");
    assertThat(v.state()).isEqualTo(VideoState.UPLOADING);
    assertThat(v.createdAt()).isEqualTo(video.createdAt());
    assertThat(v.updatedAt()).isEqualTo(micros(START.plusSeconds(30)));
    assertThat(store.findVideo(video.id())).contains(v);
  }

  @Test
  void updateVideoMetadata_unknownVideo_returnsEmpty() {
    assertThat(store.updateVideoMetadata(VideoId.of("BBBBBBBBBBB"), VideoPatch.NONE.withTitle("t")))
        .isEmpty();
  }

  @Test
  void updateVideoMetadata_badText_throwsAndKeepsVideo() {
    User alice = creator("alice");
    Video video = video(alice, "keep");

    assertThatThrownBy(() -> store.updateVideoMetadata(video.id(), VideoPatch.NONE.withTitle("")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> store.updateVideoMetadata(video.id(), VideoPatch.NONE.withDescription("\u0000")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.updateVideoMetadata(video.id(), null))
        .isInstanceOf(NullPointerException.class);
    assertThat(store.findVideo(video.id())).contains(video);
  }

  @Test
  void updateVideoMetadata_partialPatch_changesOnlyTheFieldsItSets() {
    User alice = creator("alice");
    Video video =
        store.createVideo(
            NewVideo.builder(alice.id(), "title")
                .description("description")
                .language("en")
                .tags(List.of("a", "b"))
                .build());
    clock.advance(Duration.ofSeconds(1));

    Video retitled =
        store.updateVideoMetadata(video.id(), VideoPatch.NONE.withTitle("new title")).orElseThrow();
    Video retagged =
        store.updateVideoMetadata(video.id(), VideoPatch.NONE.withTags(List.of())).orElseThrow();
    Video relanguaged =
        store.updateVideoMetadata(video.id(), VideoPatch.NONE.withLanguage("pt-BR")).orElseThrow();
    Video touched = store.updateVideoMetadata(video.id(), VideoPatch.NONE).orElseThrow();

    assertThat(retitled.title()).isEqualTo("new title");
    assertThat(retitled.description()).isEqualTo("description");
    assertThat(retitled.tags()).containsExactly("a", "b");
    assertThat(retagged.title()).isEqualTo("new title");
    assertThat(retagged.tags()).isEmpty();
    assertThat(relanguaged.language()).isEqualTo("pt-BR");
    assertThat(relanguaged.tags()).isEmpty();
    assertThat(touched).isEqualTo(relanguaged);
    assertThat(store.findVideo(video.id())).contains(touched);
  }

  @Test
  void updateVideoMetadata_afterTransition_keepsStateAndDetails() {
    User alice = creator("alice");
    Video video = video(alice, "moving");
    Video uploaded = store.transitionVideo(VideoTransition.uploaded(video.id(), 7L, SHA)).video();

    Video patched =
        store.updateVideoMetadata(video.id(), VideoPatch.NONE.withTitle("renamed")).orElseThrow();

    assertThat(patched.state()).isEqualTo(VideoState.UPLOADED);
    assertThat(patched.sizeBytes()).isEqualTo(7L);
    assertThat(patched.sha256()).isEqualTo(SHA);
    assertThat(patched.title()).isEqualTo("renamed");
    assertThat(patched.createdAt()).isEqualTo(uploaded.createdAt());
  }

  // ---- upload fields (V2)

  @Test
  void createVideo_allUploadFields_roundTrip() {
    User alice = creator("alice");
    Instant expires = Instant.parse("2026-03-02T12:00:00.123456789Z");

    Video video =
        store.createVideo(
            NewVideo.builder(alice.id(), "My cat")
                .description("d")
                .language("en")
                .tags(List.of("cats", "quote \" and \\ backslash", "日本語", "🎬".repeat(20)))
                .filename("My cat (final) 🐈.mp4")
                .contentType("video/mp4")
                .profile("fast_2-pass")
                .uploadExpiresAt(expires)
                .build());

    assertThat(video.filename()).isEqualTo("My cat (final) 🐈.mp4");
    assertThat(video.contentType()).isEqualTo("video/mp4");
    assertThat(video.profile()).isEqualTo("fast_2-pass");
    assertThat(video.tags())
        .containsExactly("cats", "quote \" and \\ backslash", "日本語", "🎬".repeat(20));
    assertThat(video.uploadExpiresAt()).isEqualTo(micros(expires));
    assertThat(store.findVideo(video.id())).contains(video);
  }

  @Test
  void createVideo_mostTagsOfLongestLength_roundTrip() {
    User alice = creator("alice");
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < Video.MAX_TAGS; i++) {
      // Quotes and backslashes double in JSON: the worst case for the column's length.
      tags.add(String.valueOf((char) ('a' + i)) + "\"\\".repeat((Video.MAX_TAG_LENGTH - 1) / 2));
    }

    Video video = store.createVideo(NewVideo.builder(alice.id(), "tags").tags(tags).build());

    assertThat(store.findVideo(video.id()).orElseThrow().tags()).isEqualTo(tags);
  }

  @Test
  void createVideo_withoutUploadFields_hasDefaults() {
    User alice = creator("alice");

    Video video = video(alice, "plain");

    assertThat(video.filename()).isNull();
    assertThat(video.contentType()).isNull();
    assertThat(video.profile()).isEqualTo(Video.DEFAULT_PROFILE);
    assertThat(video.tags()).isEmpty();
    assertThat(video.uploadExpiresAt()).isNull();
    assertThat(store.findVideo(video.id())).contains(video);
  }

  @Test
  void createVideo_badUploadFields_throwIllegalArgument() {
    User alice = creator("alice");
    List<java.util.function.UnaryOperator<NewVideo.Builder>> bad =
        List.of(
            b -> b.filename(" "),
            b -> b.filename("dir/cat.mp4"),
            b -> b.filename("C:\\cat.mp4"),
            b -> b.filename("x".repeat(Video.MAX_FILENAME_LENGTH + 1)),
            b -> b.filename("two\nlines.mp4"),
            b -> b.contentType("video"),
            b -> b.contentType("Video/MP4"),
            b -> b.contentType("video/mp4; codecs=avc1"),
            b -> b.profile(""),
            b -> b.profile("Default"),
            b -> b.profile("../etc"),
            b -> b.tags(List.of("")),
            b -> b.tags(List.of("dup", "dup")),
            b -> b.tags(List.of("x".repeat(Video.MAX_TAG_LENGTH + 1))),
            b -> b.tags(List.of("new\nline")),
            b -> b.tags(java.util.Collections.nCopies(Video.MAX_TAGS + 1, "t")));
    for (var change : bad) {
      assertThatThrownBy(() -> change.apply(NewVideo.builder(alice.id(), "t")).build())
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store.listVideosByOwner(alice.id(), 0, 10)).isEmpty();
  }

  // ---- transitions

  @Test
  void transitionVideo_fullLifecycle_appliesEachStepWithItsDetails() {
    User alice = creator("alice");
    Video video = video(alice, "life");

    clock.advance(Duration.ofSeconds(1));
    TransitionResult uploaded =
        store.transitionVideo(VideoTransition.uploaded(video.id(), 123_456_789L, SHA));
    assertThat(uploaded.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(uploaded.video().state()).isEqualTo(VideoState.UPLOADED);
    assertThat(uploaded.video().sizeBytes()).isEqualTo(123_456_789L);
    assertThat(uploaded.video().sha256()).isEqualTo(SHA);
    assertThat(uploaded.video().updatedAt()).isEqualTo(micros(START.plusSeconds(1)));

    clock.advance(Duration.ofSeconds(1));
    TransitionResult processing = store.transitionVideo(VideoTransition.processing(video.id()));
    assertThat(processing.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(processing.video().state()).isEqualTo(VideoState.PROCESSING);
    assertThat(processing.video().sizeBytes()).isEqualTo(123_456_789L);

    clock.advance(Duration.ofSeconds(1));
    TransitionResult ready = store.transitionVideo(VideoTransition.ready(video.id(), 61_500L));
    assertThat(ready.outcome()).isEqualTo(Outcome.APPLIED);
    Video done = ready.video();
    assertThat(done.state()).isEqualTo(VideoState.READY);
    assertThat(done.durationMs()).isEqualTo(61_500L);
    assertThat(done.sizeBytes()).isEqualTo(123_456_789L);
    assertThat(done.sha256()).isEqualTo(SHA);
    assertThat(done.createdAt()).isEqualTo(video.createdAt());
    assertThat(done.updatedAt()).isEqualTo(micros(START.plusSeconds(3)));
    assertThat(store.findVideo(video.id())).contains(done);
  }

  @Test
  void transitionVideo_toFailed_recordsErrorCodeAndKeepsDetails() {
    User alice = creator("alice");
    Video video = video(alice, "broken");
    store.transitionVideo(VideoTransition.uploaded(video.id(), 10L, SHA));

    TransitionResult failed =
        store.transitionVideo(VideoTransition.failed(video.id(), "UNSUPPORTED_CONTAINER"));

    assertThat(failed.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(failed.video().state()).isEqualTo(VideoState.FAILED);
    assertThat(failed.video().errorCode()).isEqualTo("UNSUPPORTED_CONTAINER");
    assertThat(failed.video().sizeBytes()).isEqualTo(10L);
    assertThat(store.findVideo(video.id())).contains(failed.video());
  }

  @Test
  void transitionVideo_notInExpectedState_refusedAndUnchanged() {
    User alice = creator("alice");
    Video video = video(alice, "early");
    clock.advance(Duration.ofSeconds(1));

    // The pipeline may not start before the upload completes.
    TransitionResult result = store.transitionVideo(VideoTransition.processing(video.id()));

    assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.video()).isEqualTo(video);
    assertThat(store.findVideo(video.id())).contains(video);
  }

  @Test
  void transitionVideo_fromTerminalState_refused() {
    User alice = creator("alice");
    Video ready = video(alice, "ready");
    store.transitionVideo(VideoTransition.uploaded(ready.id(), 1L, SHA));
    store.transitionVideo(VideoTransition.processing(ready.id()));
    Video readyNow = store.transitionVideo(VideoTransition.ready(ready.id(), null)).video();
    Video failed = video(alice, "failed");
    Video failedNow = store.transitionVideo(VideoTransition.failed(failed.id(), "E1")).video();
    clock.advance(Duration.ofSeconds(1));

    assertThat(store.transitionVideo(VideoTransition.failed(ready.id(), "LATE")).outcome())
        .isEqualTo(Outcome.REFUSED);
    assertThat(store.transitionVideo(VideoTransition.processing(failed.id())).outcome())
        .isEqualTo(Outcome.REFUSED);
    assertThat(store.findVideo(ready.id())).contains(readyNow);
    assertThat(store.findVideo(failed.id())).contains(failedNow);
  }

  @Test
  void transitionVideo_duplicate_alreadyInStateWithoutChanges() {
    User alice = creator("alice");
    Video video = video(alice, "twice");
    Video first = store.transitionVideo(VideoTransition.uploaded(video.id(), 10L, SHA)).video();
    clock.advance(Duration.ofSeconds(1));

    TransitionResult again =
        store.transitionVideo(VideoTransition.uploaded(video.id(), 99L, SHA.replace('9', '8')));

    assertThat(again.outcome()).isEqualTo(Outcome.ALREADY_IN_STATE);
    assertThat(again.succeeded()).isTrue();
    assertThat(again.video()).isEqualTo(first);
    assertThat(store.findVideo(video.id())).contains(first);
  }

  @Test
  void transitionVideo_unknownVideo_notFound() {
    TransitionResult result =
        store.transitionVideo(VideoTransition.processing(VideoId.of("CCCCCCCCCCC")));

    assertThat(result.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(result.video()).isNull();
  }

  @Test
  void transitionVideo_concurrentIdenticalRequests_exactlyOneApplied() throws Exception {
    User alice = creator("alice");
    Video video = video(alice, "race");
    store.transitionVideo(VideoTransition.uploaded(video.id(), 10L, SHA));

    List<TransitionResult> results =
        race(8, i -> () -> store.transitionVideo(VideoTransition.processing(video.id())));

    assertThat(results).filteredOn(r -> r.outcome() == Outcome.APPLIED).hasSize(1);
    assertThat(results).filteredOn(r -> r.outcome() == Outcome.ALREADY_IN_STATE).hasSize(7);
    assertThat(store.findVideo(video.id()).orElseThrow().state()).isEqualTo(VideoState.PROCESSING);
  }

  @Test
  void transitionVideo_concurrentConflictingRequests_exactlyOneWins() throws Exception {
    User alice = creator("alice");
    Video video = video(alice, "conflict");
    store.transitionVideo(VideoTransition.uploaded(video.id(), 10L, SHA));

    // Half start the pipeline, half cancel the video unless it has started (FAILED from UPLOADED
    // only): one of them wins, and every other request sees the winner's state.
    VideoTransition cancel =
        new VideoTransition(
            video.id(),
            Set.of(VideoState.UPLOADED),
            VideoState.FAILED,
            "CANCELLED",
            null,
            null,
            null);
    List<TransitionResult> results =
        race(
            8,
            i ->
                () ->
                    store.transitionVideo(
                        i % 2 == 0 ? VideoTransition.processing(video.id()) : cancel));

    List<TransitionResult> applied =
        results.stream().filter(r -> r.outcome() == Outcome.APPLIED).toList();
    assertThat(applied).hasSize(1);
    VideoState winner = applied.get(0).video().state();
    Video stored = store.findVideo(video.id()).orElseThrow();
    assertThat(stored.state()).isEqualTo(winner);
    for (TransitionResult r : results) {
      assertThat(r.outcome()).isIn(Outcome.APPLIED, Outcome.ALREADY_IN_STATE, Outcome.REFUSED);
      assertThat(r.video().state()).isEqualTo(winner);
    }
  }

  /** Runs {@code n} tasks at once (released together by a latch) and returns their results. */
  protected static <T> List<T> race(int n, IntFunction<Callable<T>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Callable<T> work = task.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return work.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
