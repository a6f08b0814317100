package io.poolagent.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AcquireFramesTest {
  @Test
  void aSingleCountingCallIsTheOutermost() {
    AcquireFrames frames = new AcquireFrames();
    frames.push(true);
    assertTrue(frames.popOutermost());
  }

  @Test
  void aCallThatDoesNotCountRecordsNothing() {
    AcquireFrames frames = new AcquireFrames();
    frames.push(false);
    assertFalse(frames.popOutermost());
  }

  @Test
  void onlyTheOutermostCountingCallRecords() {
    AcquireFrames frames = new AcquireFrames();
    frames.push(true); // a wrapping DataSource
    frames.push(true); // the pool it delegates to
    assertFalse(frames.popOutermost(), "the inner DataSource call is part of the outer borrow");
    assertTrue(frames.popOutermost());
  }

  @Test
  void aDataSourceCalledFromANonDataSourceStillRecords() {
    AcquireFrames frames = new AcquireFrames();
    frames.push(false); // e.g. a connection provider's getConnection()
    frames.push(true); // the DataSource it calls
    assertTrue(frames.popOutermost());
    assertFalse(frames.popOutermost());
  }

  @Test
  void anExitWithoutEntryIsIgnoredAndLeavesTheStackUsable() {
    AcquireFrames frames = new AcquireFrames();
    assertFalse(frames.popOutermost(), "entered before the agent was installed");
    frames.push(true);
    assertTrue(frames.popOutermost());
  }

  @Test
  void nestingBeyondTheLimitStaysBalanced() {
    AcquireFrames frames = new AcquireFrames();
    frames.push(true);
    for (int i = 0; i < 100; i++) {
      frames.push(true);
    }
    for (int i = 0; i < 100; i++) {
      assertFalse(frames.popOutermost());
    }
    assertTrue(frames.popOutermost());
  }
}
