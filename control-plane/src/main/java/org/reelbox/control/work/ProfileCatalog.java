package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.reelbox.control.pipeline.OptionsException;
import org.reelbox.control.pipeline.Plan;
import org.reelbox.control.pipeline.PlanOptions;
import org.reelbox.control.pipeline.Planner;
import org.reelbox.control.pipeline.Profile;
import org.reelbox.control.pipeline.ProfileLoader;

/**
 * The pipeline profiles the control plane knows, loaded once at start (a bad one stops the start),
 * and the planner over them.
 */
public final class ProfileCatalog {
  /** Where the shipped profiles are on the classpath (copied from the top-level conf/). */
  public static final String CLASSPATH_DIR = "conf/pipelines";

  private final SortedMap<String, Profile> profiles;
  private final Planner planner = new Planner();

  public ProfileCatalog(SortedMap<String, Profile> profiles) {
    this.profiles = requireNonNull(profiles, "profiles");
  }

  /**
   * Loads every profile of {@code dir}, or the shipped ones when {@code dir} is empty.
   *
   * @throws org.reelbox.control.pipeline.ProfileException on a bad profile
   */
  public static ProfileCatalog load(String dir) {
    ProfileLoader loader = ProfileLoader.builtin();
    if (!dir.isEmpty()) {
      return new ProfileCatalog(loader.loadAll(Path.of(dir)));
    }
    URL url = ProfileCatalog.class.getClassLoader().getResource(CLASSPATH_DIR + "/default.yaml");
    if (url == null) {
      throw new IllegalStateException(
          "no " + CLASSPATH_DIR + "/default.yaml on the classpath; set pipelinesDir");
    }
    try {
      URI uri = url.toURI();
      if ("file".equals(uri.getScheme())) {
        return new ProfileCatalog(loader.loadAll(Path.of(uri).getParent()));
      }
      // Inside a jar: list it through the zip file system.
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        return new ProfileCatalog(loader.loadAll(jar.getPath(CLASSPATH_DIR)));
      } catch (FileSystemAlreadyExistsException e) {
        return new ProfileCatalog(
            loader.loadAll(FileSystems.getFileSystem(uri).getPath(CLASSPATH_DIR)));
      }
    } catch (URISyntaxException | IOException e) {
      throw new UncheckedIOException(
          "cannot read the shipped pipeline profiles at " + url,
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  public Optional<Profile> profile(String name) {
    return Optional.ofNullable(profiles.get(name));
  }

  /** The profile names, sorted. */
  public java.util.Set<String> names() {
    return profiles.keySet();
  }

  /**
   * Plans a video's job.
   *
   * @throws OptionsException when the profile is unknown or the options do not fit it
   */
  public Plan plan(String profileName, PlanOptions options) {
    Profile profile =
        profile(profileName)
            .orElseThrow(
                () ->
                    new OptionsException(
                        "profile: unknown profile '"
                            + profileName
                            + "' (known: "
                            + String.join(", ", profiles.keySet())
                            + ")"));
    return planner.plan(profile, options);
  }
}
