//! JSON Schemas of a pack and of `gavel.toml` (`gavel schema pack|config`), derived from the
//! serde types that read them, so that the schema cannot drift from what gavel accepts. Editors
//! with taplo (Even Better TOML) use them through a `#:schema` line for completion and errors
//! while typing; gavel's own checks (ids, regexes, patterns, placeholders) still run on load.

use std::{borrow::Cow, marker::PhantomData};

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::{config::RawConfig, raw::RawPack};

/// The schema of a pack file.
pub fn pack() -> Schema {
    with_title(schemars::schema_for!(RawPack), "gavel policy pack")
}

/// The schema of a `gavel.toml`.
pub fn config() -> Schema {
    with_title(schemars::schema_for!(RawConfig), "gavel.toml")
}

fn with_title(mut s: Schema, title: &str) -> Schema {
    s.insert("title".into(), title.into());
    s
}

/// One value or a list of them ([`crate::one_or_many::OneOrMany`]).
pub struct OneOrManySchema<T>(PhantomData<T>);

impl<T: JsonSchema> JsonSchema for OneOrManySchema<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one = generator.subschema_for::<T>();
        json_schema!({"anyOf": [one, {"type": "array", "items": one}]})
    }
}
