//! Work spread over the machine's cores, results in input order: many rule
//! files are parsed, and many projects checked, side by side.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A worker's stack: parsing and checking recurse over expressions, as on
/// the main thread (reserved, not used, until a deep rule needs it).
pub const STACK: usize = 256 << 20;

/// Fewer items than this are not worth a thread.
const MIN_PER_WORKER: usize = 4;

/// `f` applied to every item, the results in the items' order. Workers take
/// short runs of items from a shared counter, so one slowed by other work (a
/// project's rules being freed aside, another process) takes fewer and none waits
/// for it at the end; each keeps one `state` (a cache) for all it takes.
/// The calling thread is one of the workers (so it needs their stack).
pub fn map<T, S, R>(items: &[T], state: impl Fn() -> S + Sync, f: impl Fn(&T, &mut S) -> R + Sync) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let workers = workers(items.len());
    if workers == 1 {
        let mut s = state();
        return items.iter().map(|item| f(item, &mut s)).collect();
    }
    // About sixteen runs per worker: short enough to even out, long enough
    // that taking one costs nothing next to the work.
    let run = (items.len() / (workers * 16)).clamp(1, 64);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut s = state();
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = next.fetch_add(run, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let end = (start + run).min(items.len());
            done.push((start, items[start..end].iter().map(|item| f(item, &mut s)).collect()));
        }
    };
    let mut runs: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            (1..workers).map(|_| std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, work)).collect();
        // This thread takes its share too: one thread fewer to start, and
        // whatever a worker that could not start would have taken.
        let mut runs = work();
        for handle in handles.into_iter().flatten() {
            match handle.join() {
                Ok(done) => runs.extend(done),
                // A worker that stopped on a bug stops this thread the same way
                // (run again, it would only fail twice).
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        runs
    });
    runs.sort_unstable_by_key(|(start, _)| *start);
    runs.into_iter().flat_map(|(_, results)| results).collect()
}

/// Starts a thread on the first of `stacks` the system grants: a tight limit
/// on virtual memory refuses the large ones, and a smaller stack beats no
/// thread. `make` builds the work anew for each try (a refused spawn drops
/// what it was given); the last refusal when none is granted.
pub fn spawn_shrinking<'scope, T: Send + 'scope, F: FnOnce() -> T + Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    stacks: &[usize],
    mut make: impl FnMut() -> F,
) -> std::io::Result<std::thread::ScopedJoinHandle<'scope, T>> {
    let mut refused = std::io::Error::other("no stack size to try");
    for &size in stacks {
        match std::thread::Builder::new().stack_size(size).spawn_scoped(scope, make()) {
            Ok(handle) => return Ok(handle),
            Err(error) => refused = error,
        }
    }
    Err(refused)
}

/// How many threads `items` things are worth: one per core, but never
/// fewer than [`MIN_PER_WORKER`] things each.
fn workers(items: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    cores.min(items / MIN_PER_WORKER).max(1)
}

/// Frees `value` on a thread of its own: 2 000 projects' rules or
/// evaluations take a tenth of a run to free one allocation at a time, and
/// nothing waits for them. Freed here when no thread can start.
pub fn drop_aside<T: Send + 'static>(value: T) {
    if let Err(e) = std::thread::Builder::new().spawn(move || drop(value)) {
        drop(e);
    }
}

/// Frees every item now, side by side: memory freed before the next step
/// allocates is memory that step reuses, where memory freed beside it
/// leaves that step to grow the heap and fault in fresh pages.
pub fn drop_all<T: Send>(mut items: Vec<T>) {
    let workers = workers(items.len());
    if workers == 1 {
        return drop(items);
    }
    let share = items.len().div_ceil(workers);
    let mut shares: Vec<Vec<T>> = Vec::with_capacity(workers);
    while items.len() > share {
        shares.push(items.split_off(items.len() - share));
    }
    std::thread::scope(|scope| {
        for share in shares {
            // A share whose thread cannot start is freed by this one.
            if let Err(e) = std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, move || drop(share)) {
                drop(e);
            }
        }
        drop(items);
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = super::map(&items, || (), |x, _| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u32], || (), |x, _| *x).is_empty());
    }

    /// Every item freed once, whatever the count, before `drop_all` returns.
    #[test]
    fn a_refused_stack_falls_back_to_the_next() {
        std::thread::scope(|scope| {
            // No system grants a stack the size of the address space.
            let mut tries = 0;
            let started = super::spawn_shrinking(scope, &[usize::MAX, 1 << 20], || {
                tries += 1;
                || 7
            });
            assert_eq!(started.map(|h| h.join().ok()).ok().flatten(), Some(7));
            assert_eq!(tries, 2);
            let refused = super::spawn_shrinking(scope, &[usize::MAX], || || 7);
            assert!(refused.is_err());
        });
    }

    #[test]
    fn drop_all_frees_every_item_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        struct Counted<'a>(&'a AtomicUsize);
        impl Drop for Counted<'_> {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::Relaxed);
            }
        }
        for len in [0, 1, 4, 7, 8, 9, 1001] {
            let freed = AtomicUsize::new(0);
            super::drop_all((0..len).map(|_| Counted(&freed)).collect());
            assert_eq!(freed.load(Ordering::Relaxed), len, "{len} items");
        }
    }

    /// Runs taken from the counter come back in order whatever their length
    /// and however unevenly the items cost.
    #[test]
    fn every_item_once_in_order_for_any_length() {
        for len in [1, 3, 4, 7, 8, 9, 31, 32, 33, 127, 128, 129, 1000, 2049] {
            let items: Vec<u64> = (0..len).collect();
            let slow_first = |x: &u64, calls: &mut u32| {
                *calls += 1;
                if *x < 3 {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                x + 1
            };
            let got = super::map(&items, || 0u32, slow_first);
            assert_eq!(got, items.iter().map(|x| x + 1).collect::<Vec<_>>(), "{len} items");
        }
    }
}
