//! `gavel schema pack|config`: the JSON Schema of a policy pack or of `gavel.toml`, for editors
//! (taplo's `#:schema` line, Even Better TOML) and CI validation.

use crate::cli::{SchemaArgs, SchemaKind};

pub fn run(args: SchemaArgs) -> u8 {
    let schema = match args.kind {
        SchemaKind::Pack => gavel_policy::schema::pack(),
        SchemaKind::Config => gavel_policy::schema::config(),
    };
    let json = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    crate::output::emit(&format!("{json}\n"));
    0
}
