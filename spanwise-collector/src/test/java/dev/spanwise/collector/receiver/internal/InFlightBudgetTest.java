package dev.spanwise.collector.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightBudgetTest {
  final InFlightBudget budget = new InFlightBudget(100);

  @Test
  void refusesWhatDoesNotFitAndReleasesOnClose() {
    Reservation a = budget.tryReserve(60);
    assertThat(a).isNotNull();
    assertThat(budget.tryReserve(41)).isNull();
    Reservation b = budget.tryReserve(40);
    assertThat(b).isNotNull();
    assertThat(budget.used()).isEqualTo(100);

    a.close();
    a.close(); // released once only
    assertThat(budget.used()).isEqualTo(40);
    b.close();
    assertThat(budget.used()).isZero();
  }

  @Test
  void reservationGrowsOnlyWithinTheBudgetAndShrinks() {
    Reservation r = budget.tryReserve(50);
    Reservation other = budget.tryReserve(30);

    assertThat(r.resize(71)).isFalse();
    assertThat(r.held()).isEqualTo(50);
    assertThat(r.ensure(70)).isTrue();
    assertThat(budget.used()).isEqualTo(100);
    assertThat(r.ensure(10)).isTrue(); // already holds more
    assertThat(r.held()).isEqualTo(70);
    assertThat(r.resize(5)).isTrue();
    assertThat(budget.used()).isEqualTo(35);

    r.close();
    other.close();
    assertThat(budget.used()).isZero();
    assertThat(r.resize(1)).isFalse(); // closed
    assertThat(budget.used()).isZero();
  }

  @Test
  void aRequestHoldsSixTimesItsBodyButNeverMoreThanTheWholeBudget() {
    InFlightBudget budget = new InFlightBudget(6000);
    assertThat(budget.heldFor(0)).isZero();
    assertThat(budget.heldFor(600)).isEqualTo(3600);
    assertThat(budget.heldFor(1000)).isEqualTo(6000);
    assertThat(budget.heldFor(1001)).isEqualTo(6000);
    assertThat(budget.heldFor(Long.MAX_VALUE / 2)).isEqualTo(6000); // no overflow
  }
}
