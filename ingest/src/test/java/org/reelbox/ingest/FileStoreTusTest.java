package org.reelbox.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The tus server on the file upload store (uploads under the data dir, blobs in a directory). */
class FileStoreTusTest extends TusProtocolContract {

  @Override
  protected ObjectNode storage() {
    return IngestHarness.fileStorage();
  }

  @Override
  protected void assertBytesReleased(String uploadId) {
    assertThat(ingest.dataDir().resolve("uploads").resolve(uploadId + ".bin")).doesNotExist();
    assertThat(ingest.dataDir().resolve("uploads").resolve(uploadId + ".info")).exists();
  }
}
