//! Call arguments, for the `kwargs`, `missing_kwargs`, `arg_regex` and `arg_not_literal`
//! constraints and for `remove_kwargs`.

use gavel_policy::{CallConstraints, KwargTest};

use crate::unit::SNode;

/// The arguments of a call, split into positional and keyword ones.
pub(crate) struct Args<'a> {
    pub node: Option<SNode<'a>>,
    pub positional: Vec<SNode<'a>>,
    /// (name, whole keyword_argument node, value node)
    pub keywords: Vec<(String, SNode<'a>, SNode<'a>)>,
    /// `**kwargs` was passed.
    pub splat_kwargs: bool,
}

impl<'a> Args<'a> {
    pub fn of_call(call: SNode<'a>) -> Args<'a> {
        let mut args = Args {
            node: None,
            positional: Vec::new(),
            keywords: Vec::new(),
            splat_kwargs: false,
        };
        let Some(list) = call.field("arguments") else {
            return args;
        };
        args.node = Some(list);
        if !matches!(list.kind(), "argument_list" | "arguments") {
            args.positional.push(list);
            return args;
        }
        for child in list.named_children() {
            match child.kind() {
                "keyword_argument" => {
                    if let (Some(name), Some(value)) = (child.field("name"), child.field("value")) {
                        args.keywords.push((name.text().to_string(), child, value));
                    }
                }
                "dictionary_splat" => args.splat_kwargs = true,
                "comment" | "line_comment" | "block_comment" | "attribute_item" => {}
                _ => args.positional.push(child),
            }
        }
        args
    }

    /// Every argument, in order.
    pub fn all(&self) -> Vec<SNode<'a>> {
        self.node
            .map(|n| {
                n.named_children()
                    .into_iter()
                    .filter(|c| !c.kind().contains("comment"))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The value given for a keyword, by name or by its position.
    pub fn value(&self, name: &str, c: &CallConstraints) -> Option<SNode<'a>> {
        self.keywords
            .iter()
            .find(|k| k.0 == name)
            .map(|k| k.2)
            .or_else(|| {
                let pos = *c.positions.get(name)?;
                self.positional.get(pos).copied()
            })
    }

    /// Do all constraints hold?
    pub fn satisfy(&self, c: &CallConstraints) -> bool {
        c.kwargs.iter().all(|(name, test)| {
            let Some(v) = self.value(name, c) else {
                return false;
            };
            let text = normalize(v.text());
            match test {
                KwargTest::Present => true,
                KwargTest::OneOf(options) => options.contains(&text),
                KwargTest::Regex(r) => r.is_match(&text),
            }
        }) && (c.missing_kwargs.is_empty()
            || (!self.splat_kwargs && c.missing_kwargs.iter().any(|k| self.value(k, c).is_none())))
            && c.arg_regex.iter().all(|(i, r)| {
                self.positional
                    .get(*i)
                    .is_some_and(|a| r.is_match(a.text()))
            })
            && c.arg_not_literal
                .iter()
                .all(|i| self.positional.get(*i).is_some_and(|a| !is_literal(*a)))
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A string, number, bool or None/unit literal (an f-string with substitutions is not).
pub(crate) fn is_literal(node: SNode<'_>) -> bool {
    match node.kind() {
        "string" => !node
            .named_children()
            .iter()
            .any(|c| c.kind() == "interpolation"),
        "concatenated_string" => node.named_children().into_iter().all(is_literal),
        "integer" | "float" | "true" | "false" | "none" => true,
        "string_literal" | "raw_string_literal" | "integer_literal" | "float_literal"
        | "boolean_literal" | "char_literal" => true,
        "unary_expression" | "unary_operator" => node.named_children().into_iter().all(is_literal),
        "parenthesized_expression" => node.named_children().into_iter().all(is_literal),
        _ => false,
    }
}

/// The text of a call's arguments without the parentheses (`$ARGS`).
pub(crate) fn args_text<'a>(call: SNode<'a>) -> &'a str {
    let args = call
        .field("arguments")
        .map(|a| a.text())
        .unwrap_or_default();
    args.strip_prefix('(')
        .and_then(|a| a.strip_suffix(')'))
        .unwrap_or(args)
}
