package org.reelbox.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.reelbox.common.config.ConfigException;
import org.reelbox.launcher.client.ApiClient;
import org.reelbox.launcher.client.ClientSettings;
import org.reelbox.launcher.client.ProgressBar;
import org.reelbox.launcher.client.TusUploader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reelbox upload FILE}: create a video and upload it over tus, resuming on failures. */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    description = {
      "Creates a video on the control plane and uploads FILE to ingest over tus (resumable;",
      "parallel parts with --parallel). The API key comes from --api-key, REELBOX_API_KEY,",
      "or --data DIR (its admin-credentials file)."
    })
final class UploadCommand implements Callable<Integer> {
  private static final Set<String> FINAL_STATES = Set.of("READY", "FAILED");

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The video file.")
  Path file;

  @Option(names = "--title", description = "The video's title (default: the file name).")
  String title;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "Pipeline profile (default: the control plane's default profile).")
  String profile;

  @Option(
      names = "--renditions",
      paramLabel = "NAME",
      split = ",",
      description = "Only these rungs of the profile's ladder, e.g. 720p,480p,360p (default: all).")
  List<String> renditions = new ArrayList<>();

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "1",
      description = "Parts uploaded at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--wait", description = "Follow the video's events until it is READY or FAILED.")
  boolean await;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "API key (else REELBOX_API_KEY, else --data).")
  String apiKey;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Read the API key and URL from DIR/admin-credentials.")
  Path data;

  @Option(
      names = "--control-plane",
      paramLabel = "URL",
      description = "Control plane URL (default: from --data, else http://127.0.0.1:8080).")
  String controlPlane;

  @Option(
      names = "--retries",
      defaultValue = "20",
      description = "Failures in a row before giving up (default: ${DEFAULT-VALUE}).")
  int retries;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException("FILE", "cannot read " + file);
    }
    if (parallel < 1 || parallel > 16) {
      throw new ConfigException("--parallel", "must be between 1 and 16, got " + parallel);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ClientSettings settings = ClientSettings.resolve(apiKey, data, controlPlane, System.getenv());
    ApiClient api = new ApiClient(settings);
    long size = Files.size(file);
    String name = file.getFileName().toString();

    JsonNode video;
    try {
      video = api.createVideo(name, size, contentType(name), title, profile, renditions);
    } catch (ApiClient.ApiCallException e) {
      err.println("reelbox upload: " + e.getMessage());
      return 1;
    }
    String id = video.get("id").asText();
    out.println("video " + id + ": uploading " + name + " (" + size + " bytes)");
    out.flush();

    ProgressBar bar = new ProgressBar(err, size, Clock.systemUTC());
    TusUploader tus = new TusUploader(retries, Duration.ofSeconds(10), bar::add);
    try {
      tus.upload(
          URI.create(video.get("uploadUrl").asText()),
          file,
          size,
          parallel,
          Map.of("filename", name, "filetype", contentType(name)));
    } catch (java.io.IOException e) {
      bar.finish();
      err.println("reelbox upload: " + e.getMessage());
      err.println("the upload can be retried; bytes already sent are kept until it expires");
      return 1;
    }
    bar.finish();
    out.println(
        "video "
            + id
            + ": upload complete"
            + (tus.retries() > 0 ? " (resumed " + tus.retries() + " times)" : ""));
    out.flush();
    if (!await) {
      return 0;
    }
    String[] last = {""};
    api.followEvents(
        id,
        event -> {
          String state = event.path("state").asText();
          if (!state.equals(last[0])) {
            out.println(
                "video "
                    + id
                    + ": "
                    + state
                    + (event.hasNonNull("errorCode") ? " " + event.get("errorCode").asText() : ""));
            out.flush();
            last[0] = state;
          }
          return FINAL_STATES.contains(state);
        });
    return last[0].equals("READY") ? 0 : 1;
  }

  static String contentType(String filename) {
    String lower = filename.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".mkv")) {
      return "video/x-matroska";
    } else if (lower.endsWith(".webm")) {
      return "video/webm";
    } else if (lower.endsWith(".mov")) {
      return "video/quicktime";
    } else if (lower.endsWith(".ts") || lower.endsWith(".m2ts")) {
      return "video/mp2t";
    }
    return "video/mp4";
  }
}
