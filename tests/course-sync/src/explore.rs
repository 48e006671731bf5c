//! The exploration build's `Mutex` and `Condvar`: shuttle's, plus a note in
//! the [`ledger`](crate::ledger) of every lock taken, waited for and released.
//! The API is std's, so learner code compiles the same in both builds.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};
use std::time::Duration;

use crate::ledger::{self, Op};

pub use shuttle::sync::WaitTimeoutResult;

/// A mutual-exclusion lock, as `std::sync::Mutex`.
pub struct Mutex<T: ?Sized> {
    id: usize,
    inner: shuttle::sync::Mutex<T>,
}

/// The guard of a locked [`Mutex`], as `std::sync::MutexGuard`.
pub struct MutexGuard<'a, T: ?Sized + 'a> {
    id: usize,
    inner: Option<shuttle::sync::MutexGuard<'a, T>>,
}

fn wrap<'a, T: ?Sized>(
    id: usize,
    result: LockResult<shuttle::sync::MutexGuard<'a, T>>,
) -> LockResult<MutexGuard<'a, T>> {
    ledger::record(Op::Acquires, id);
    match result {
        Ok(inner) => Ok(MutexGuard { id, inner: Some(inner) }),
        Err(poisoned) => Err(PoisonError::new(MutexGuard { id, inner: Some(poisoned.into_inner()) })),
    }
}

impl<T> Mutex<T> {
    #[track_caller]
    pub fn new(value: T) -> Self {
        Mutex { id: ledger::new_lock(Location::caller()), inner: shuttle::sync::Mutex::new(value) }
    }

    pub fn into_inner(self) -> LockResult<T> {
        self.inner.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        ledger::record(Op::Waits, self.id);
        wrap(self.id, self.inner.lock())
    }

    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        match self.inner.try_lock() {
            Ok(inner) => {
                ledger::record(Op::Acquires, self.id);
                Ok(MutexGuard { id: self.id, inner: Some(inner) })
            }
            Err(TryLockError::Poisoned(poisoned)) => {
                ledger::record(Op::Acquires, self.id);
                let guard = MutexGuard { id: self.id, inner: Some(poisoned.into_inner()) };
                Err(TryLockError::Poisoned(PoisonError::new(guard)))
            }
            Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
        }
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.inner.get_mut()
    }

    pub fn clear_poison(&self) {
        self.inner.clear_poison()
    }
}

impl<T: Default> Default for Mutex<T> {
    #[track_caller]
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    #[track_caller]
    fn from(value: T) -> Self {
        Mutex::new(value)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if self.inner.take().is_some() {
            ledger::record(Op::Releases, self.id);
        }
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("a guard holds its lock until dropped")
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("a guard holds its lock until dropped")
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// A condition variable, as `std::sync::Condvar`.
#[derive(Default)]
pub struct Condvar {
    inner: shuttle::sync::Condvar,
}

impl fmt::Debug for Condvar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Condvar { .. }")
    }
}

impl Condvar {
    pub fn new() -> Self {
        Condvar { inner: shuttle::sync::Condvar::new() }
    }

    pub fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        let id = guard.id;
        let inner = guard.inner.take().expect("a guard holds its lock until dropped");
        ledger::record(Op::WaitsOnCondvar, id);
        wrap(id, self.inner.wait(inner))
    }

    pub fn wait_while<'a, T, F>(&self, mut guard: MutexGuard<'a, T>, mut condition: F) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// Shuttle's clock is virtual and its timed waits never time out: a
    /// timed wait is explored as a plain wait.
    pub fn wait_timeout<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        let id = guard.id;
        let inner = guard.inner.take().expect("a guard holds its lock until dropped");
        ledger::record(Op::WaitsOnCondvar, id);
        let result = self.inner.wait_timeout(inner, timeout);
        ledger::record(Op::Acquires, id);
        rewrap_timed(id, result)
    }

    pub fn wait_timeout_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
        condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        let id = guard.id;
        let inner = guard.inner.take().expect("a guard holds its lock until dropped");
        ledger::record(Op::WaitsOnCondvar, id);
        let result = self.inner.wait_timeout_while(inner, timeout, condition);
        ledger::record(Op::Acquires, id);
        rewrap_timed(id, result)
    }

    pub fn notify_one(&self) {
        self.inner.notify_one()
    }

    pub fn notify_all(&self) {
        self.inner.notify_all()
    }
}

type Timed<'a, T> = (shuttle::sync::MutexGuard<'a, T>, WaitTimeoutResult);

fn rewrap_timed<'a, T>(
    id: usize,
    result: LockResult<Timed<'a, T>>,
) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
    match result {
        Ok((inner, timed_out)) => Ok((MutexGuard { id, inner: Some(inner) }, timed_out)),
        Err(poisoned) => {
            let (inner, timed_out) = poisoned.into_inner();
            Err(PoisonError::new((MutexGuard { id, inner: Some(inner) }, timed_out)))
        }
    }
}
