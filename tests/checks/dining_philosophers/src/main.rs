//! Checks of `dining_philosophers`.

grading_kit::subject!();

mod scenarios;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use grading_kit::{Outcome, expect_eq, fail, within};
use serde::{Deserialize, Serialize};
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

/// What the check saw of one dinner.
#[derive(Debug, Serialize, Deserialize)]
struct Dinner {
    /// False if `dine` had not returned after `patience`.
    ended: bool,
    /// The first philosopher who ate while a neighbour was eating.
    clash: Option<usize>,
    /// Meals eaten, per philosopher.
    eaten: Vec<usize>,
}

/// The learner's half: runs a dinner of `meals` meals each, for at most
/// `patience`.
fn dinner(meals: usize, patience: Duration) -> Dinner {
    let table = Arc::new(Table::new());
    let at_table = Arc::clone(&table);
    let ended = within(patience, move || subject::dine(meals, &|p| at_table.eat(p))).is_some();
    let clash = Some(table.clash.load(Ordering::SeqCst)).filter(|&p| p != NO_CLASH);
    let eaten = table.meals.iter().map(|m| m.load(Ordering::SeqCst)).collect();
    Dinner { ended, clash, eaten }
}

/// The learner's half of a check of several dinners: one after another, up
/// to the first that does not end (its philosophers are still at the table).
fn dinners(sizes: &[usize], patience: Duration) -> Vec<Dinner> {
    let mut seen = Vec::new();
    for &meals in sizes {
        let dinner = dinner(meals, patience);
        let ended = dinner.ended;
        seen.push(dinner);
        if !ended {
            break;
        }
    }
    seen
}

/// The judge's half: the dinners of `sizes`, each as it should have gone.
fn judge(sizes: &[usize], patience: Duration, seen: Vec<Dinner>) -> Outcome {
    let mut seen = seen.into_iter();
    for &meals in sizes {
        let Some(Dinner { ended, clash, eaten }) = seen.next() else {
            return fail(format!("the check's process stopped before the dinner of {meals} meals each"));
        };
        if !ended {
            return fail(format!(
                "the dinner ({meals} meals each) had not ended after {patience:?}: a deadlock. If every philosopher \
                 holds one fork and waits for the next, the waits form a circle and nobody ever eats again. Break \
                 the circle: let every philosopher take the lower-numbered of its two forks first (one global \
                 lock order), so the last one reaches for fork 0 before fork 4."
            ));
        }
        if let Some(clash) = clash {
            return fail(format!(
                "philosopher {clash} ate while a neighbour was eating: they share a fork, so one of them ate without \
                 holding it. Hold *both* forks (both lock guards alive) around `eat(p)`."
            ));
        }
        expect_eq(eaten, vec![meals; PHILOSOPHERS])?;
    }
    Ok(())
}

/// Dinners of fixed sizes, one case: a deadlock is found once, not again
/// and again by shrinking.
const DINNERS: [usize; 5] = [0, 1, 2, 5, 50];
const DINNERS_PATIENCE: Duration = Duration::from_secs(2);
const LONG_DINNER: usize = 20_000;
const LONG_DINNER_PATIENCE: Duration = Duration::from_secs(3);

fn main() {
    grading_kit::checks!()
        .case(
            "everyone eats, neighbours never together",
            || dinners(&DINNERS, DINNERS_PATIENCE),
            |seen| judge(&DINNERS, DINNERS_PATIENCE, seen),
        )
        .case(
            "a long dinner does not deadlock",
            || dinners(&[LONG_DINNER], LONG_DINNER_PATIENCE),
            |seen| judge(&[LONG_DINNER], LONG_DINNER_PATIENCE, seen),
        )
        .explore("no deadlock and no shared fork in any interleaving", scenarios::one_meal_each)
        .main();
}
