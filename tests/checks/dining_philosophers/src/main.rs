//! Checks of `dining_philosophers`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

mod scenarios;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq, within};
use proptest::prelude::*;
use subject::PHILOSOPHERS;

/// What the table saw: meals per philosopher, and the first time two
/// neighbours ate at once.
struct Table {
    eating: Vec<AtomicBool>,
    meals: Vec<AtomicUsize>,
    clash: AtomicUsize,
}

const NO_CLASH: usize = usize::MAX;

impl Table {
    fn new() -> Self {
        Table {
            eating: (0..PHILOSOPHERS).map(|_| AtomicBool::new(false)).collect(),
            meals: (0..PHILOSOPHERS).map(|_| AtomicUsize::new(0)).collect(),
            clash: AtomicUsize::new(NO_CLASH),
        }
    }

    /// The `eat` given to the learner's `dine`: notes the meal, and whether
    /// a neighbour was eating meanwhile.
    fn eat(&self, p: usize) {
        assert!(p < PHILOSOPHERS, "`eat` was called with philosopher {p}; there are {PHILOSOPHERS}");
        self.eating[p].store(true, Ordering::SeqCst);
        self.meals[p].fetch_add(1, Ordering::SeqCst);
        for _ in 0..2 {
            for neighbour in [(p + 1) % PHILOSOPHERS, (p + PHILOSOPHERS - 1) % PHILOSOPHERS] {
                if self.eating[neighbour].load(Ordering::SeqCst) {
                    let _ = self.clash.compare_exchange(NO_CLASH, p, Ordering::SeqCst, Ordering::SeqCst);
                }
            }
            thread::yield_now();
        }
        self.eating[p].store(false, Ordering::SeqCst);
    }
}

/// Runs a dinner of `meals` meals each, for at most `patience`.
fn dinner(meals: usize, patience: Duration) -> Option<Arc<Table>> {
    let table = Arc::new(Table::new());
    let at_table = Arc::clone(&table);
    within(patience, move || subject::dine(meals, &|p| at_table.eat(p))).map(|()| table)
}

fn judge(meals: usize, patience: Duration) -> Result<(), TestCaseError> {
    let Some(table) = dinner(meals, patience) else {
        return expect(
            false,
            format!(
                "the dinner ({meals} meals each) had not ended after {patience:?}: a deadlock. If every philosopher \
                 holds one fork and waits for the next, the waits form a circle and nobody ever eats again. Break \
                 the circle: let every philosopher take the lower-numbered of its two forks first (one global \
                 lock order), so the last one reaches for fork 0 before fork 4."
            ),
        );
    };
    let clash = table.clash.load(Ordering::SeqCst);
    expect(
        clash == NO_CLASH,
        format!(
            "philosopher {clash} ate while a neighbour was eating: they share a fork, so one of them ate without \
             holding it. Hold *both* forks (both lock guards alive) around `eat(p)`."
        ),
    )?;
    let eaten: Vec<usize> = table.meals.iter().map(|m| m.load(Ordering::SeqCst)).collect();
    expect_eq(eaten, vec![meals; PHILOSOPHERS])
}

fn main() {
    grading_kit::checks!("dining_philosophers")
        .property_with_cases("everyone eats, neighbours never together", 1, Just([0, 1, 2, 5, 50]), |dinners| {
            // Fixed sizes, one case: a deadlock is found once, not again
            // and again by shrinking.
            dinners.iter().try_for_each(|&meals| judge(meals, Duration::from_secs(2)))
        })
        .property_with_cases("a long dinner does not deadlock", 1, Just(20_000usize), |meals| {
            judge(meals, Duration::from_secs(3))
        })
        .explore("no deadlock and no shared fork in any interleaving", scenarios::one_meal_each)
        .main();
}
