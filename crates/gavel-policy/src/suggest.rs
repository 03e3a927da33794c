//! "Did you mean" suggestions for misspelt keys, values and rule ids.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Add a suggestion to a serde message such as "unknown field `mesage`, expected one of `id`,
/// `message`": the first backticked word is the unknown one, the rest are the candidates.
pub fn improve_serde_message(message: &str) -> String {
    let words: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let is_unknown = message.starts_with("unknown field") || message.starts_with("unknown variant");
    match words.split_first() {
        Some((unknown, candidates)) if is_unknown && !candidates.is_empty() => {
            let what = if message.starts_with("unknown field") {
                "key"
            } else {
                "value"
            };
            match did_you_mean(unknown, candidates.iter().copied()) {
                Some(best) => {
                    format!("unknown {what} `{unknown}`: did you mean `{best}`? ({message})")
                }
                None => format!(
                    "unknown {what} `{unknown}`: {}",
                    message.split_once(", ").map_or(message, |(_, rest)| rest)
                ),
            }
        }
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_key() {
        assert_eq!(
            improve_serde_message(
                "unknown field `mesage`, expected one of `id`, `message`, `note`"
            ),
            "unknown key `mesage`: did you mean `message`? (unknown field `mesage`, expected one of `id`, `message`, `note`)"
        );
        assert_eq!(
            improve_serde_message("unknown field `zzz`, expected `a` or `b`"),
            "unknown key `zzz`: expected `a` or `b`"
        );
        assert_eq!(
            did_you_mean("py.asert-used", ["py.assert-used", "rs.unwrap"]),
            Some("py.assert-used")
        );
    }
}
