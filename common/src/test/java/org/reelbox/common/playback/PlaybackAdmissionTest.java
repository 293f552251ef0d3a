package org.reelbox.common.playback;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;

class PlaybackAdmissionTest {
  private static final String KEY = "/v/dQw4w9WgXcQ/keys/0.key";
  private final List<PlaybackPath> authorized = new ArrayList<>();

  /** Refuses every token check, and records that it was asked. */
  private org.reelbox.common.security.TokenClaims refuseAll(PlaybackPath path) {
    authorized.add(path);
    throw new ApiException(ErrorCode.FORBIDDEN, "a playback token is required for keys");
  }

  private PlaybackAdmission check(HttpMethod method, String uri) {
    return PlaybackAdmission.check(
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri), this::refuseAll);
  }

  @Test
  void badPath_isRefusedWithoutAPath_beforeAnythingElse() {
    PlaybackAdmission a = check(HttpMethod.POST, "/v/short/master.m3u8");
    assertThat(a.path()).isNull();
    assertThat(a.refusal().code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(authorized).isEmpty();
  }

  @Test
  void preflight_andWrongMethods_areDecidedBeforeTheToken() {
    PlaybackAdmission options = check(HttpMethod.OPTIONS, KEY);
    assertThat(options.preflight()).isTrue();
    assertThat(options.refusal()).isNull();
    PlaybackAdmission post = check(HttpMethod.POST, KEY);
    assertThat(post.refusal().code()).isEqualTo(ErrorCode.METHOD_NOT_ALLOWED);
    assertThat(post.allow()).isEqualTo(PlaybackCors.ALLOW);
    assertThat(post.path().kind()).isEqualTo(ObjectKind.KEY);
    assertThat(authorized).isEmpty();
  }

  @Test
  void getAndHead_goToTheTokenCheck() {
    PlaybackAdmission get = check(HttpMethod.GET, KEY);
    assertThat(get.refusal().code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(get.allow()).isNull();
    assertThat(get.preflight()).isFalse();
    check(HttpMethod.HEAD, KEY);
    assertThat(authorized).hasSize(2);

    PlaybackAdmission ok =
        PlaybackAdmission.check(
            new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, KEY), p -> null);
    assertThat(ok.refusal()).isNull();
    assertThat(ok.preflight()).isFalse();
    assertThat(ok.path().relativePath()).isEqualTo("dQw4w9WgXcQ/keys/0.key");
  }
}
