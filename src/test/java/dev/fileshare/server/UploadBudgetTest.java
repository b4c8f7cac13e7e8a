package dev.fileshare.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UploadBudgetTest {
  private final UploadBudget budget = new UploadBudget(100, 60);
  private final AtomicInteger woken = new AtomicInteger();

  @Test
  void roomUntilTheHighMark() {
    budget.received(99);
    assertThat(budget.hasRoom()).isTrue();
    budget.received(1);
    assertThat(budget.hasRoom()).isFalse();
  }

  @Test
  void pausedConnectionsWakeAtTheLowMarkOnlyAndOnce() {
    budget.received(120);
    budget.whenRoom(woken::incrementAndGet);
    budget.whenRoom(woken::incrementAndGet);

    budget.written(50); // 70: below the high mark, above the low one
    assertThat(woken).hasValue(0);

    budget.written(10); // 60: the low mark
    assertThat(woken).hasValue(2);

    budget.written(60);
    assertThat(woken).hasValue(2);
    assertThat(budget.pending()).isZero();
  }

  @Test
  void aWaiterArrivingAfterTheDrainIsWokenAtOnce() {
    budget.received(120);
    budget.written(120);
    budget.whenRoom(woken::incrementAndGet);
    assertThat(woken).hasValue(1);
  }

  @Test
  void othersDoNotOvertakeAPausedConnection() {
    budget.received(100);
    budget.whenRoom(woken::incrementAndGet); // a connection pauses at the high mark
    budget.written(30); // 70: between the marks
    // Without the waiter the others could read on here, and keep the count above the low mark.
    assertThat(budget.hasRoom()).isFalse();
    budget.written(10); // 60: the low mark wakes the waiter
    assertThat(woken).hasValue(1);
    assertThat(budget.hasRoom()).isTrue();
  }
}
