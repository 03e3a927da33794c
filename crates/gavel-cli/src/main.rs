//! The gavel command line.
fn main() {}
