package org.reelbox.common.role;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.reelbox.common.config.ConfigException;
import org.reelbox.common.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of every role's {@code main}: load the config ({@code --config FILE} or the defaults,
 * then the environment), start the role, and close it cleanly when the JVM is asked to stop
 * (SIGTERM or Ctrl-C run the shutdown hook).
 *
 * <p>Exit codes: 0 after a clean stop, 2 for a configuration problem (one line on stderr naming the
 * key), 1 when the role fails to start for another reason.
 */
public final class RoleMain {
  private static final Logger log = LoggerFactory.getLogger(RoleMain.class);

  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_FAILED = 1;

  private RoleMain() {}

  /** Parses {@code [--config FILE]}; anything else is a usage error. */
  public static Optional<Path> parseConfigArg(String role, String[] args) {
    if (args.length == 0) {
      return Optional.empty();
    }
    if (args.length == 2 && args[0].equals("--config")) {
      return Optional.of(Path.of(args[1]));
    }
    throw new ConfigException("--config", "usage: " + role + " [--config FILE]");
  }

  /**
   * Loads, starts and runs {@code role} until the JVM shuts down. Never returns normally on error.
   */
  public static <C> void run(
      String role, String[] args, Class<C> configType, Function<C, Role> factory) {
    Role instance;
    try {
      C config =
          ConfigLoader.forRole(role, System.getenv()).load(configType, parseConfigArg(role, args));
      instance = factory.apply(config);
    } catch (ConfigException e) {
      // The process's own stderr is the right place: logging may not be set up for a bad config.
      System.err.println("reelbox " + role + ": " + e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    }
    runUntilShutdown(instance);
  }

  /** Starts {@code role}, then blocks until SIGTERM/SIGINT has closed it. */
  public static void runUntilShutdown(Role role) {
    try {
      role.start();
    } catch (ConfigException e) {
      role.close();
      System.err.println("reelbox " + role.name() + ": " + e.getMessage());
      System.exit(EXIT_CONFIG);
    } catch (Exception e) {
      log.error("{} failed to start", role.name(), e);
      role.close();
      System.exit(EXIT_FAILED);
    }
    awaitShutdown(role.name(), role);
  }

  /**
   * Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C), closing {@code resource} from the
   * shutdown hook before it returns.
   */
  public static void awaitShutdown(String name, AutoCloseable resource) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("{} stopping", name);
                  try {
                    resource.close();
                  } catch (Exception e) {
                    log.warn("error while stopping {}: {}", name, e.toString());
                  }
                  log.info("{} stopped", name);
                  stopped.countDown();
                },
                name + "-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
