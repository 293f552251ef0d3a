package org.reelbox.edge.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.config.ConfigValueException;

class EdgeIdTest {
  @TempDir Path dir;

  @Test
  void loadOrCreate_emptyDir_createsOnceThenKeepsIt() throws Exception {
    String id = EdgeId.loadOrCreate(dir);

    assertThat(id).matches("edge-[0-9a-f]{16}");
    assertThat(EdgeId.loadOrCreate(dir)).isEqualTo(id);
    assertThat(Files.readString(dir.resolve(EdgeId.FILE_NAME)).trim()).isEqualTo(id);
    // No temp files left beside it.
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void loadOrCreate_twoDirs_differentIds() throws Exception {
    Path other = Files.createDirectory(dir.resolve("other"));
    assertThat(EdgeId.loadOrCreate(dir)).isNotEqualTo(EdgeId.loadOrCreate(other));
  }

  @Test
  void loadOrCreate_operatorChosenId_kept() throws Exception {
    Files.writeString(dir.resolve(EdgeId.FILE_NAME), "isp-a-box-7\n");
    assertThat(EdgeId.loadOrCreate(dir)).isEqualTo("isp-a-box-7");
  }

  @Test
  void loadOrCreate_garbageInFile_clearError() throws Exception {
    Files.writeString(dir.resolve(EdgeId.FILE_NAME), "not an id!");
    assertThatThrownBy(() -> EdgeId.loadOrCreate(dir))
        .isInstanceOf(ConfigValueException.class)
        .hasMessageContaining(EdgeId.FILE_NAME)
        .hasMessageContaining("delete the file");
  }
}
