package org.reelbox.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleVideoTest {
  @TempDir Path tmp;

  @Test
  void write_oneSecond_isAnMp4WithAMovieBox() throws Exception {
    Path file = tmp.resolve("s.mp4");
    SampleVideo.write(file, 1);
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes.length).isBetween(1_000, 1_000_000);
    String ascii = new String(bytes, StandardCharsets.ISO_8859_1);
    assertThat(ascii.substring(4, 8)).isEqualTo("ftyp");
    assertThat(ascii).contains("moov").contains("avc1");
  }
}
