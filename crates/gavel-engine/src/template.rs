//! `$VAR` substitution in messages and `replace` templates.

/// Replace `$NAME` and `$$$NAME` with the value of `NAME`; unknown names stay as written.
pub(crate) fn render<V: AsRef<str>>(template: &str, vars: &[(String, V)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = rest[i..].trim_start_matches('$');
        let dollars = rest.len() - i - after.len();
        let name_len = after
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        match vars.iter().find(|(n, _)| n == name) {
            Some((_, value)) if !name.is_empty() => out.push_str(value.as_ref()),
            _ => out.push_str(&rest[i..i + dollars + name_len]),
        }
        rest = &after[name_len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_known_names() {
        let vars = vec![
            ("X".to_string(), "a + 1".to_string()),
            ("ARGS".to_string(), "1, 2".to_string()),
        ];
        assert_eq!(
            render("eval($X) with $$$ARGS and $Y costs $5", &vars),
            "eval(a + 1) with 1, 2 and $Y costs $5"
        );
    }
}
