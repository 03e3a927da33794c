//! Empty: this package only exists to pin the crates that bench/run.sh vendors.
