//! Running many seeds on the machine's cores (two on the machines this runs on), keeping seed
//! order in the results.

/// `f` applied to every seed, on up to eight threads; the first error wins.
pub fn over_seeds<T: Send>(
    seeds: &[u64],
    f: impl Fn(u64) -> Result<T, String> + Sync,
) -> Result<Vec<T>, String> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    let chunk = seeds.len().div_ceil(threads).max(1);
    let f = &f;
    let parts: Vec<Result<Vec<T>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = seeds
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|seed| f(*seed)).collect()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a run thread panicked"))
            .collect()
    });
    let parts = parts.into_iter().collect::<Result<Vec<Vec<T>>, _>>()?;
    Ok(parts.into_iter().flatten().collect())
}
