//! Work spread over the machine's cores, results in input order: many rule
//! files are parsed, and many projects checked, side by side.

use std::num::NonZeroUsize;

/// A worker's stack: parsing and checking recurse over expressions, as on
/// the main thread (reserved, not used, until a deep rule needs it).
pub const STACK: usize = 256 << 20;

/// Fewer items than this are not worth a thread.
const MIN_PER_WORKER: usize = 4;

/// `f` applied to every item, the results in the items' order. Each worker
/// takes one contiguous run of items and keeps one `state` (a cache) for
/// it. Falls back to the calling thread when a worker cannot be started.
pub fn map<T, S, R>(items: &[T], state: impl Fn() -> S + Sync, f: impl Fn(&T, &mut S) -> R + Sync) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let workers = cores.min(items.len() / MIN_PER_WORKER).max(1);
    let serial = |run: &[T]| {
        let mut s = state();
        run.iter().map(|item| f(item, &mut s)).collect::<Vec<R>>()
    };
    if workers == 1 {
        return serial(items);
    }
    let size = items.len().div_ceil(workers);
    let runs: Vec<&[T]> = items.chunks(size).collect();
    let joined: Vec<Option<Vec<R>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter()
            .map(|run| std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, || serial(run)))
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle.map(|h| h.join()) {
                Ok(Ok(done)) => Some(done),
                // A worker that stopped on a bug stops this thread the same way
                // (run again, it would only fail twice).
                Ok(Err(payload)) => std::panic::resume_unwind(payload),
                Err(_) => None,
            })
            .collect()
    });
    let mut out = Vec::with_capacity(items.len());
    for (run, result) in runs.iter().zip(joined) {
        // A worker that could not start leaves its run to this thread.
        out.extend(result.unwrap_or_else(|| serial(run)));
    }
    out
}

/// Frees `value` on a thread of its own: the syntax trees of 2 000 files,
/// or 2 000 evaluations, take a tenth of a run to free one allocation at a
/// time, and nothing waits for them. Freed here when no thread can start.
pub fn drop_aside<T: Send + 'static>(value: T) {
    if let Err(e) = std::thread::Builder::new().spawn(move || drop(value)) {
        drop(e);
    }
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
}
