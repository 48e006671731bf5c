//! Reference solution of `building_h2o`.

use course_sync::{Condvar, Mutex};

/// The molecule being formed, under the mutex.
#[derive(Debug, Default)]
struct Molecule {
    hydrogens: usize,
    oxygens: usize,
    bonded: usize,
}

impl Molecule {
    fn complete(&self) -> bool {
        self.hydrogens == 2 && self.oxygens == 1
    }
}

/// A meeting point where hydrogen and oxygen threads form water molecules.
///
/// One molecule is formed at a time. An atom first waits for a free place
/// in it (a third hydrogen waits for the next molecule), then waits for the
/// molecule to be complete, then bonds. The last of the three to bond clears
/// the molecule, which lets the next atoms in: so no atom of the next
/// molecule can bond before all three of this one have.
#[derive(Debug, Default)]
pub struct H2O {
    molecule: Mutex<Molecule>,
    changed: Condvar,
}

impl H2O {
    /// Nobody waiting, no molecule begun.
    pub fn new() -> Self {
        H2O::default()
    }

    /// Called by a hydrogen thread.
    pub fn hydrogen(&self, bond: impl FnOnce()) {
        self.join(bond, |m| m.hydrogens < 2, |m| m.hydrogens += 1);
    }

    /// Called by an oxygen thread.
    pub fn oxygen(&self, bond: impl FnOnce()) {
        self.join(bond, |m| m.oxygens < 1, |m| m.oxygens += 1);
    }

    /// Waits for a place (`has_room`), takes it (`take`), waits for the
    /// molecule to be complete, and bonds.
    ///
    /// `bond` runs under the lock: it is short, and running it there is what
    /// keeps the three bonds of one molecule together.
    fn join(&self, bond: impl FnOnce(), has_room: impl Fn(&Molecule) -> bool, take: impl FnOnce(&mut Molecule)) {
        let molecule = self.molecule.lock().unwrap();
        let mut molecule = self.changed.wait_while(molecule, |m| !has_room(m)).unwrap();
        take(&mut molecule);
        // Our arrival may complete the molecule: tell the others.
        self.changed.notify_all();
        let mut molecule = self.changed.wait_while(molecule, |m| !m.complete()).unwrap();
        bond();
        molecule.bonded += 1;
        if molecule.bonded == 3 {
            *molecule = Molecule::default();
            // Room for the next molecule: let waiting atoms in.
            self.changed.notify_all();
        }
    }
}
