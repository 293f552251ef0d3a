package org.reelbox.ingest.store.internal;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import org.reelbox.common.json.Json;

/** The JSON form of the records stores keep beside the bytes. */
final class InfoCodec {
  private InfoCodec() {}

  static <T> byte[] write(T value) {
    ObjectWriter writer = Json.mapper().writer();
    try {
      return writer.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize " + value, e);
    }
  }

  static <T> T read(byte[] json, Class<T> type, String what) throws IOException {
    ObjectReader reader = Json.mapper().readerFor(type);
    try {
      return reader.readValue(json);
    } catch (IOException | RuntimeException e) {
      throw new IOException("corrupt upload record " + what + ": " + e.getMessage(), e);
    }
  }
}
