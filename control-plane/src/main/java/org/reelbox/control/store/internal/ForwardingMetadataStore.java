package org.reelbox.control.store.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.reelbox.control.store.ApiKey;
import org.reelbox.control.store.CreatedApiKey;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.TransitionResult;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserPatch;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoPatch;
import org.reelbox.control.store.VideoTransition;

/**
 * A {@link MetadataStore} that hands every call to another one: the base of the decorators, which
 * override only the calls they change (Guava's {@code Forwarding*} pattern).
 */
abstract class ForwardingMetadataStore implements MetadataStore {
  private final MetadataStore delegate;

  ForwardingMetadataStore(MetadataStore delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  /** The store every call goes to. */
  protected final MetadataStore delegate() {
    return delegate;
  }

  @Override
  public Optional<Video> findVideo(VideoId videoId) {
    return delegate.findVideo(videoId);
  }

  @Override
  public Optional<Video> updateVideoMetadata(VideoId videoId, VideoPatch patch) {
    return delegate.updateVideoMetadata(videoId, patch);
  }

  @Override
  public TransitionResult transitionVideo(VideoTransition transition) {
    return delegate.transitionVideo(transition);
  }

  @Override
  public Video createVideo(NewVideo video) {
    return delegate().createVideo(video);
  }

  @Override
  public List<Video> listVideosByOwner(long ownerId, int offset, int limit) {
    return delegate().listVideosByOwner(ownerId, offset, limit);
  }

  @Override
  public User createUser(String username, UserRole role, String passwordHash) {
    return delegate().createUser(username, role, passwordHash);
  }

  @Override
  public Optional<User> findUserById(long userId) {
    return delegate().findUserById(userId);
  }

  @Override
  public Optional<User> findUserByUsername(String username) {
    return delegate().findUserByUsername(username);
  }

  @Override
  public Optional<String> findPasswordHash(long userId) {
    return delegate().findPasswordHash(userId);
  }

  @Override
  public List<User> listUsers(int offset, int limit) {
    return delegate().listUsers(offset, limit);
  }

  @Override
  public Optional<User> updateUser(long userId, UserPatch patch) {
    return delegate().updateUser(userId, patch);
  }

  @Override
  public CreatedApiKey createApiKey(long userId, String name) {
    return delegate().createApiKey(userId, name);
  }

  @Override
  public List<ApiKey> listApiKeys(long userId) {
    return delegate().listApiKeys(userId);
  }

  @Override
  public Optional<User> findUserByApiKey(String plaintextKey) {
    return delegate().findUserByApiKey(plaintextKey);
  }

  @Override
  public boolean revokeApiKey(long apiKeyId) {
    return delegate().revokeApiKey(apiKeyId);
  }
}
