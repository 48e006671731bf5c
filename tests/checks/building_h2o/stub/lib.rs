//! Building H2O: threads that must meet in groups of exactly two hydrogens
//! and one oxygen. Read `README.md` in this folder first.

use course_sync::{Condvar, Mutex};

/// The molecule being formed, under the mutex.
#[derive(Debug, Default)]
struct Molecule {
    /// Hydrogen threads admitted into the molecule being formed (0 to 2).
    hydrogens: usize,
    /// Oxygen threads admitted into the molecule being formed (0 or 1).
    oxygens: usize,
    /// How many of its three atoms have bonded so far.
    bonded: usize,
}

/// A meeting point where hydrogen and oxygen threads form water molecules.
#[derive(Debug, Default)]
pub struct H2O {
    molecule: Mutex<Molecule>,
    changed: Condvar,
}

impl H2O {
    /// Nobody waiting, no molecule begun.
    pub fn new() -> Self {
        todo!("an empty meeting point")
    }

    /// Called by a hydrogen thread. Waits until it is part of a complete
    /// molecule (two hydrogens and one oxygen), then calls `bond()` once.
    /// The three `bond` calls of one molecule all happen before any `bond`
    /// call of the next molecule.
    pub fn hydrogen(&self, bond: impl FnOnce()) {
        todo!("join a molecule that has fewer than two hydrogens, wait until it is complete, bond")
    }

    /// Called by an oxygen thread: like [`H2O::hydrogen`], for the one oxygen
    /// of each molecule.
    pub fn oxygen(&self, bond: impl FnOnce()) {
        todo!("join a molecule that has no oxygen yet, wait until it is complete, bond")
    }
}
