package org.reelbox.benchmarks.cachepolicy;

/**
 * The generator's own expected request rate of an object (up to a factor common to all objects).
 */
@FunctionalInterface
public interface RateOracle {
  /**
   * @param object dense object id
   * @param index the request index, i.e. the time at which the rate is asked for
   */
  double rate(int object, int index);
}
