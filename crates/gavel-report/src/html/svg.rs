//! Inline SVG charts: lines over time, bars per week above and below an axis, and horizontal
//! bars per label. Every mark carries its figures (`data-series`, `data-value(s)`) so a test
//! in a browser can compare what is drawn with the JSON, and a `<title>` for a tooltip.

use std::fmt::Write;

use super::esc;

const W: f64 = 960.0;
const H: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// A series of a chart: its name, its colour and its values.
pub struct Series<'a> {
    pub name: &'a str,
    pub color: &'a str,
    pub values: Vec<f64>,
}

/// A round step for an axis from 0 to `max` in about four steps.
fn step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let nice = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    (nice * mag).max(1.0)
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

fn open(out: &mut String, id: &str, height: f64, label: &str) {
    let _ = write!(
        out,
        r#"<svg viewBox="0 0 {W} {height}" width="100%" role="img" aria-label="{}" data-chart-svg="{id}">"#,
        esc(label)
    );
}

/// Horizontal grid lines and y labels from 0 to `max`; returns the top of the axis.
fn y_axis(out: &mut String, max: f64, y: impl Fn(f64) -> f64) -> f64 {
    let s = step(max);
    let top = (max / s).ceil().max(1.0) * s;
    let mut v = 0.0;
    while v <= top + 1e-9 {
        let py = y(v / top);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{py:.1}" y2="{py:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 6.0,
            py + 4.0,
            num(v)
        );
        v += s;
    }
    top
}

/// Lines over `labels` (one per point, e.g. dates); x labels at a few points.
pub fn lines(id: &str, label: &str, labels: &[String], series: &[Series<'_>]) -> String {
    let mut out = String::new();
    open(&mut out, id, H, label);
    let n = labels.len().max(1);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let plot_h = H - TOP - BOTTOM;
    let top = y_axis(&mut out, max, |f| TOP + plot_h * (1.0 - f));
    let x = |i: usize| {
        if n == 1 {
            LEFT + (W - LEFT - RIGHT) / 2.0
        } else {
            LEFT + (W - LEFT - RIGHT) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| TOP + plot_h * (1.0 - v / top);
    for k in 0..5.min(n) {
        let i = if n <= 5 { k } else { k * (n - 1) / 4 };
        let anchor = match k {
            0 => "start",
            4 => "end",
            _ => "middle",
        };
        let _ = write!(
            out,
            r#"<text class="tick" x="{:.1}" y="{}" text-anchor="{anchor}">{}</text>"#,
            x(i),
            H - 8.0,
            esc(&labels[i])
        );
    }
    for s in series {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, &v)| format!("{:.1},{:.1}", x(i), y(v)))
            .collect();
        let values: Vec<String> = s.values.iter().map(|&v| num(v)).collect();
        let last = s.values.last().copied().unwrap_or(0.0);
        let _ = write!(
            out,
            r#"<polyline class="series" fill="none" stroke="{}" stroke-width="2" points="{}" data-series="{}" data-values="{}"><title>{}: {} at the last commit</title></polyline>"#,
            s.color,
            points.join(" "),
            esc(s.name),
            values.join(","),
            esc(s.name),
            num(last)
        );
        if n == 1 {
            let _ = write!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{}"/>"#,
                x(0),
                y(last),
                s.color
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Bars per label, `up` above the axis and `down` below (introduced and fixed per week).
pub fn updown(
    id: &str,
    label: &str,
    labels: &[String],
    up: &Series<'_>,
    down: &Series<'_>,
) -> String {
    let mut out = String::new();
    open(&mut out, id, H, label);
    let n = labels.len().max(1);
    let max = up
        .values
        .iter()
        .chain(&down.values)
        .copied()
        .fold(1.0, f64::max);
    let mid = TOP + (H - TOP - BOTTOM) / 2.0;
    let half = (H - TOP - BOTTOM) / 2.0;
    let slot = (W - LEFT - RIGHT) / n as f64;
    let bar = (slot * 0.8).max(1.0);
    let _ = write!(
        out,
        r#"<line class="axis" x1="{LEFT}" x2="{}" y1="{mid:.1}" y2="{mid:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text><text class="tick" x="{}" y="{:.1}" text-anchor="end">0</text>"#,
        W - RIGHT,
        LEFT - 6.0,
        TOP + 8.0,
        num(max),
        LEFT - 6.0,
        H - BOTTOM,
        num(max),
        LEFT - 6.0,
        mid + 4.0
    );
    for (s, sign) in [(up, -1.0), (down, 1.0)] {
        for (i, &v) in s.values.iter().enumerate() {
            if v <= 0.0 {
                continue;
            }
            let h = half * v / max;
            let top = if sign < 0.0 { mid - h } else { mid };
            let _ = write!(
                out,
                r#"<rect x="{:.1}" y="{top:.1}" width="{bar:.1}" height="{h:.1}" fill="{}" data-series="{}" data-value="{}"><title>{}: {} {}</title></rect>"#,
                LEFT + slot * i as f64,
                s.color,
                esc(s.name),
                num(v),
                esc(&labels[i]),
                num(v),
                esc(s.name)
            );
        }
    }
    for k in 0..5.min(n) {
        let i = if n <= 5 { k } else { k * (n - 1) / 4 };
        let _ = write!(
            out,
            r#"<text class="tick" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            LEFT + slot * (i as f64 + 0.5),
            H - 8.0,
            esc(&labels[i])
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars: one row per label, one bar per series in the row.
pub fn hbars(id: &str, label: &str, labels: &[String], series: &[Series<'_>]) -> String {
    const ROW: f64 = 22.0;
    const NAME: f64 = 300.0;
    let bars = series.len().max(1) as f64;
    let height = TOP + ROW * labels.len() as f64 + 8.0;
    let mut out = String::new();
    open(&mut out, id, height, label);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max)
        .max(1e-9);
    let width = W - NAME - RIGHT - 60.0;
    for (i, name) in labels.iter().enumerate() {
        let row = TOP + ROW * i as f64;
        let _ = write!(
            out,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            NAME - 8.0,
            row + ROW / 2.0 + 4.0,
            esc(&shorten(name, 44))
        );
        let h = (ROW - 6.0) / bars;
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0.0);
            let y = row + 3.0 + h * k as f64;
            let w = width * v / max;
            let _ = write!(
                out,
                r#"<rect x="{NAME}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{}" data-series="{}" data-value="{}"><title>{}: {} {}</title></rect><text class="value" x="{:.1}" y="{:.1}">{}</text>"#,
                s.color,
                esc(s.name),
                num(v),
                esc(name),
                num(v),
                esc(s.name),
                NAME + w + 4.0,
                y + h - 1.0,
                num(v)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// At most `max` characters, the end kept (paths and rule ids differ at their ends).
fn shorten(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let tail: String = s.chars().skip(n - (max - 1)).collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(step(0.0), 1.0);
        assert_eq!(step(7.0), 2.0);
        assert_eq!(step(40.0), 10.0);
        assert_eq!(step(230.0), 100.0);
        assert_eq!(shorten("abcdef", 4), "…def");
    }
}
