package org.reelbox.media.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reelbox.media.ts.TsTestStreams.mux;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reelbox.media.ts.TsTestStreams.Frame;

class TsScannerDemuxTest {
  private static final byte[] AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};

  @Test
  void demux_muxedStream_handsOutEveryAccessUnitWithItsBytes() throws Exception {
    List<Frame> frames = new ArrayList<>();
    byte[] ts = mux(40, 10, 126_000, true, true, frames);
    List<VideoSample> samples = new ArrayList<>();

    TsScan scan = TsScanner.demux(new ByteArrayInputStream(ts), samples::add);

    assertThat(scan.accessUnitCount()).isEqualTo(40);
    assertThat(scan.accessUnits()).isEmpty();
    assertThat(samples).hasSize(40);
    TsScan full = TsScanner.scan(new ByteArrayInputStream(ts));
    for (int i = 0; i < frames.size(); i++) {
      VideoSample sample = samples.get(i);
      assertThat(sample.accessUnit()).isEqualTo(full.accessUnits().get(i));
      // The muxer prepended an access unit delimiter to what was written.
      byte[] expected = TsTestStreams.concat(AUD, frames.get(i).data());
      assertThat(sample.annexB()).isEqualTo(expected);
    }
  }

  @Test
  void demux_largeAccessUnit_spansManyPackets() throws Exception {
    byte[] big = new byte[100_000];
    Arrays.fill(big, (byte) 0x55);
    big[0] = 0;
    big[1] = 0;
    big[2] = 0;
    big[3] = 1;
    big[4] = 0x65; // IDR slice
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TsMuxer muxer = new TsMuxer(out, false)) {
      muxer.writeVideo(0, 0, big, true);
      muxer.writeVideo(3000, 3000, new byte[] {0, 0, 1, 0x41, 1, 2, 3}, false);
    }
    List<VideoSample> samples = new ArrayList<>();

    TsScanner.demux(new ByteArrayInputStream(out.toByteArray()), samples::add);

    assertThat(samples).hasSize(2);
    assertThat(samples.get(0).accessUnit().keyframe()).isTrue();
    assertThat(samples.get(0).annexB()).isEqualTo(TsTestStreams.concat(AUD, big));
    assertThat(samples.get(1).annexB()).endsWith(0x41, 1, 2, 3);
  }

  @Test
  void demux_truncatedStream_throws() {
    byte[] ts = mux(5, 5, 0, false, false, null);
    byte[] cut = Arrays.copyOf(ts, ts.length - 100);

    assertThatThrownBy(() -> TsScanner.demux(new ByteArrayInputStream(cut), s -> {}))
        .isInstanceOf(TsFormatException.class);
  }
}
