//! Rename detection for the work tree: a file the base does not have may be a base file that
//! was moved (`git mv`, committed or not). Like git, take the most similar vanished file with
//! the same extension when at least half of the lines are shared.

use gix::ObjectId;
use imara_diff::{Algorithm, Diff, InternedInput};

/// At most this many candidates are compared, the closest in size first.
const MAX_CANDIDATES: usize = 50;

/// The path and text of the vanished file `current` (at `rel`) was most likely renamed from.
pub fn best_rename(
    rel: &str,
    current: &str,
    gone: &[(String, ObjectId)],
    text_of: impl Fn(ObjectId) -> Option<String>,
) -> Option<(String, String)> {
    let mut candidates: Vec<(String, String)> = gone
        .iter()
        .filter(|(path, _)| extension(path) == extension(rel))
        .filter_map(|(path, id)| Some((path.clone(), text_of(*id)?)))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    candidates.sort_by_key(|(_, t)| t.len().abs_diff(current.len()));
    candidates.truncate(MAX_CANDIDATES);
    candidates
        .into_iter()
        .map(|c| (similarity(&c.1, current), c))
        .filter(|(s, _)| *s >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Shared lines over the longer side's lines.
fn similarity(a: &str, b: &str) -> f64 {
    let input = InternedInput::new(a, b);
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let longer = input.before.len().max(input.after.len()).max(1);
    let shared = input.after.len() as u32 - diff.count_additions();
    f64::from(shared) / longer as f64
}

fn extension(path: &str) -> Option<&str> {
    std::path::Path::new(path).extension()?.to_str()
}
