//! The built-in packs, embedded from the repository's `policies/` directory.

/// `(name, TOML text)` of every built-in pack; `builtin:NAME` in a config selects one.
pub const PACKS: &[(&str, &str)] = &[
    (
        "python-security",
        include_str!("../../../policies/python-security.toml"),
    ),
    (
        "python-quality",
        include_str!("../../../policies/python-quality.toml"),
    ),
    (
        "rust-security",
        include_str!("../../../policies/rust-security.toml"),
    ),
    (
        "rust-quality",
        include_str!("../../../policies/rust-quality.toml"),
    ),
];

/// The packs that apply when no `gavel.toml` exists.
pub const DEFAULT: &[&str] = &[
    "python-security",
    "python-quality",
    "rust-security",
    "rust-quality",
];

/// The text of a built-in pack.
pub fn get(name: &str) -> Option<&'static str> {
    PACKS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SourceFile, parse_pack};

    #[test]
    fn every_builtin_pack_compiles() {
        for (name, text) in PACKS {
            let file = SourceFile::new(format!("builtin:{name}"), *text);
            if let Err(errors) = parse_pack(&file) {
                panic!(
                    "{}",
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
        }
    }
}
