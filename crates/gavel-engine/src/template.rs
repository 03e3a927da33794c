//! `$VAR` substitution in messages and `replace` templates.

/// Replace `$NAME` and `$$$NAME` with the value of `NAME`; unknown names stay as written.
pub(crate) fn render<V: AsRef<str>>(template: &str, vars: &[(String, V)]) -> String {
    substitute(template, vars, |out, value| out.push_str(value))
}

/// A value in a one-line text (a message, an `instead`) is at most this many characters.
const LINE_VALUE_CHARS: usize = 80;

/// [`render`] for one-line texts: each value's whitespace runs become one space and a value
/// is cut at [`LINE_VALUE_CHARS`] with `…`, so 8,000 nested `eval(` calls do not each copy
/// the rest of the file into their message.
pub(crate) fn render_line<V: AsRef<str>>(template: &str, vars: &[(String, V)]) -> String {
    substitute(template, vars, |out, value| {
        let mut space = false;
        for (n, c) in value.trim().chars().enumerate() {
            if n == LINE_VALUE_CHARS {
                out.push('…');
                break;
            }
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    })
}

fn substitute<V: AsRef<str>>(
    template: &str,
    vars: &[(String, V)],
    mut push: impl FnMut(&mut String, &str),
) -> String {
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
            Some((_, value)) if !name.is_empty() => push(&mut out, value.as_ref()),
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

    #[test]
    fn one_line_values_are_squeezed_and_cut() {
        let long = "x".repeat(150);
        let vars = vec![
            ("X".to_string(), "a +\n    b".to_string()),
            ("Y".to_string(), long),
        ];
        assert_eq!(render_line("f($X)", &vars), "f(a + b)");
        assert_eq!(
            render_line("g($Y)", &vars),
            format!("g({}…)", "x".repeat(80))
        );
    }
}
