//! Checks of `building_h2o`.

grading_kit::subject!();

use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use grading_kit::{expect, expect_eq, fail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use subject::H2O;

/// How the atoms of one arrival order bonded.
#[derive(Debug, Serialize, Deserialize)]
struct Reaction {
    /// The bonds, in order, or `None` if not every atom had bonded in time.
    bonds: Option<String>,
    /// The bonds made by then.
    partial: String,
}

/// Starts one thread per atom of `atoms` ('H' or 'O'), in that order; each
/// records its element when it bonds. Gives them `patience` to all bond.
fn react(atoms: &str, patience: Duration) -> Reaction {
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
    let partial = bonds.lock().unwrap().clone();
    Reaction { bonds: all.then(|| partial.clone()), partial }
}

/// Every group of three bonds, in order, must be two H and one O.
fn judge(atoms: &str, reaction: Reaction) -> Result<(), TestCaseError> {
    let Some(bonds) = reaction.bonds else {
        return fail(format!(
            "atoms arrived in the order {atoms}, and only {:?} had bonded 2 s later: the rest were stuck. Each \
             arrival that may complete a molecule must wake the waiting atoms (`notify_all`), and so must the \
             end of each molecule, which makes room for the next.",
            reaction.partial
        ));
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

/// What two hydrogens did before and after an oxygen came.
#[derive(Debug, Serialize, Deserialize)]
struct HydrogensFirst {
    /// The bonds made 50 ms after two hydrogens and no oxygen arrived.
    early: String,
    /// Whether all three had bonded 2 s after the oxygen arrived.
    all_bonded: bool,
}

/// The fixed arrival orders, every one tried.
const ORDERS: [&str; 6] = ["HHO", "OHH", "HOH", "HHHHOO", "OOHHHH", "HHHHHHHHOOOO"];

/// `molecules` molecules' atoms in a random order.
fn arrivals() -> impl Strategy<Value = String> {
    (1..8usize)
        .prop_flat_map(|molecules| Just("HHO".repeat(molecules).into_bytes()).prop_shuffle())
        .prop_map(|atoms| String::from_utf8(atoms).expect("ASCII"))
}

fn main() {
    grading_kit::checks!()
        .case(
            "hydrogens wait for an oxygen",
            || {
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
                let oxygen = spawn('O');
                let (done, finished) = mpsc::channel();
                thread::spawn(move || {
                    let ok = hydrogens.into_iter().chain([oxygen]).all(|h| h.join().is_ok());
                    let _ = done.send(ok);
                });
                let all_bonded = finished.recv_timeout(Duration::from_secs(2)) == Ok(true);
                HydrogensFirst { early, all_bonded }
            },
            |HydrogensFirst { early, all_bonded }| {
                expect(
                    early.is_empty(),
                    format!(
                        "two hydrogens arrived and no oxygen, yet {early:?} bonded. A hydrogen must wait until its \
                         molecule is complete: two hydrogens *and* one oxygen."
                    ),
                )?;
                expect(
                    all_bonded,
                    "two hydrogens waited, then an oxygen arrived, and they had not all bonded 2 s later: the atom \
                     that completes a molecule must wake the others (`notify_all`)",
                )
            },
        )
        .case(
            "every three bonds are two H and one O",
            || {
                // A stuck order leaves its threads waiting: the orders after
                // it are not tried, as its failure is the one reported.
                let mut reactions = Vec::new();
                for atoms in ORDERS {
                    let reaction = react(atoms, Duration::from_secs(2));
                    let stuck = reaction.bonds.is_none();
                    reactions.push(reaction);
                    if stuck {
                        break;
                    }
                }
                reactions
            },
            |reactions| {
                let tried = reactions.len();
                ORDERS.iter().zip(reactions).try_for_each(|(atoms, reaction)| judge(atoms, reaction))?;
                expect(tried == ORDERS.len(), format!("{tried} of the {} arrival orders were tried", ORDERS.len()))
            },
        )
        .property_with_cases(
            "random arrival orders",
            24,
            arrivals(),
            |atoms: &String| react(atoms, Duration::from_secs(2)),
            |atoms, reaction| judge(atoms, reaction),
        )
        .main();
}
