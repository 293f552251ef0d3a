package org.reelbox.control.store;

import java.time.Clock;

/** The fake passes the same contract as the real stores, so tests that use it can trust it. */
class InMemoryMetadataStoreTest extends MetadataStoreContract {
  @Override
  protected MetadataStore newStore(Clock clock) {
    return new InMemoryMetadataStore(clock);
  }
}
