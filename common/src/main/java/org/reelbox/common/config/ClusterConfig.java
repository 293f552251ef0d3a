package org.reelbox.common.config;

/**
 * How a role talks to the rest of the cluster.
 *
 * @param secret the shared cluster secret that authenticates service-to-service calls and signs
 *     tokens; at least 32 characters. Never logged.
 * @param controlPlaneUrl the control plane's base URL, such as {@code http://127.0.0.1:8080}
 */
public record ClusterConfig(String secret, String controlPlaneUrl) {
  public static final int MIN_SECRET_LENGTH = 32;

  public ClusterConfig {
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      // Never echo the value: it is a secret.
      throw new ConfigValueException(
          "secret", "must be set to at least " + MIN_SECRET_LENGTH + " characters");
    }
    controlPlaneUrl = Checks.httpUrl("controlPlaneUrl", controlPlaneUrl, false);
  }

  public ClusterConfig withSecret(String newSecret) {
    return new ClusterConfig(newSecret, controlPlaneUrl);
  }

  public ClusterConfig withControlPlaneUrl(String url) {
    return new ClusterConfig(secret, url);
  }

  @Override
  public String toString() {
    return "ClusterConfig[secret=<redacted>, controlPlaneUrl=" + controlPlaneUrl + "]";
  }
}
