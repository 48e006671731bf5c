//! Checks of `building_h2o`.

#[cfg(all(feature = "learner", not(feature = "solution")))]
use learner as subject;
#[cfg(feature = "solution")]
use reference as subject;

use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq};
use proptest::prelude::*;
use subject::H2O;

/// Starts one thread per atom of `atoms` ('H' or 'O'), in that order; each
/// records its element when it bonds. The bonds, in order, or `None` if not
/// every atom had bonded within `patience`.
fn react(atoms: &str, patience: Duration) -> (Option<String>, Arc<Mutex<String>>) {
    let meeting = Arc::new(H2O::new());
    let bonds = Arc::new(Mutex::new(String::new()));
    let (done, finished) = mpsc::channel();
    for atom in atoms.chars() {
        let (meeting, bonds, done) = (Arc::clone(&meeting), Arc::clone(&bonds), done.clone());
        thread::spawn(move || {
            let bond = || bonds.lock().unwrap().push(atom);
            if atom == 'H' {
                meeting.hydrogen(bond)
            } else {
                meeting.oxygen(bond)
            }
            let _ = done.send(());
        });
    }
    let all = atoms.chars().all(|_| finished.recv_timeout(patience).is_ok());
    let seen = bonds.lock().unwrap().clone();
    (all.then_some(seen), bonds)
}

/// Every group of three bonds, in order, must be two H and one O.
fn judge(atoms: &str) -> Result<(), TestCaseError> {
    let (bonds, partial) = react(atoms, Duration::from_secs(2));
    let Some(bonds) = bonds else {
        return expect(
            false,
            format!(
                "atoms arrived in the order {atoms}, and only {:?} had bonded 2 s later: the rest were stuck. Each \
                 arrival that may complete a molecule must wake the waiting atoms (`notify_all`), and so must the \
                 end of each molecule, which makes room for the next.",
                partial.lock().unwrap()
            ),
        );
    };
    for (i, group) in bonds.as_bytes().chunks(3).enumerate() {
        let mut group = group.to_vec();
        group.sort();
        expect(
            group == b"HHO",
            format!(
                "atoms arrived in the order {atoms} and bonded in the order {bonds}: group {} is {:?}, not two H \
                 and one O. An atom may bond only once its molecule is complete (two hydrogens and one oxygen \
                 admitted), and the next molecule's atoms must wait until all three have bonded.",
                i + 1,
                String::from_utf8_lossy(&bonds.as_bytes()[3 * i..(3 * i + 3).min(bonds.len())])
            ),
        )?;
    }
    expect_eq(bonds.len(), atoms.len())
}

/// `molecules` molecules' atoms in a random order.
fn arrivals() -> impl Strategy<Value = String> {
    (1..8usize)
        .prop_flat_map(|molecules| Just("HHO".repeat(molecules).into_bytes()).prop_shuffle())
        .prop_map(|atoms| String::from_utf8(atoms).expect("ASCII"))
}

fn main() {
    grading_kit::checks!("building_h2o")
        .property_with_cases("hydrogens wait for an oxygen", 1, Just(()), |()| {
            let meeting = Arc::new(H2O::new());
            let bonds = Arc::new(Mutex::new(String::new()));
            let spawn = |atom: char| {
                let (meeting, bonds) = (Arc::clone(&meeting), Arc::clone(&bonds));
                thread::spawn(move || {
                    let bond = || bonds.lock().unwrap().push(atom);
                    if atom == 'H' { meeting.hydrogen(bond) } else { meeting.oxygen(bond) }
                })
            };
            let hydrogens = [spawn('H'), spawn('H')];
            thread::sleep(Duration::from_millis(50));
            let early = bonds.lock().unwrap().clone();
            expect(
                early.is_empty(),
                format!(
                    "two hydrogens arrived and no oxygen, yet {early:?} bonded. A hydrogen must wait until its \
                     molecule is complete: two hydrogens *and* one oxygen."
                ),
            )?;
            let oxygen = spawn('O');
            let (done, finished) = mpsc::channel();
            thread::spawn(move || {
                let ok = hydrogens.into_iter().chain([oxygen]).all(|h| h.join().is_ok());
                let _ = done.send(ok);
            });
            expect(
                finished.recv_timeout(Duration::from_secs(2)) == Ok(true),
                "two hydrogens waited, then an oxygen arrived, and they had not all bonded 2 s later: the atom that \
                 completes a molecule must wake the others (`notify_all`)",
            )
        })
        .property_with_cases(
            "every three bonds are two H and one O",
            1,
            Just(["HHO", "OHH", "HOH", "HHHHOO", "OOHHHH", "HHHHHHHHOOOO"]),
            |orders| orders.iter().try_for_each(|atoms| judge(atoms)),
        )
        .property_with_cases("random arrival orders", 24, arrivals(), |atoms| judge(&atoms))
        .main();
}
