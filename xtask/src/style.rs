//! Colour for people, none for pipes: only on a terminal, never with
//! `NO_COLOR` set.

use std::io::IsTerminal;
use std::sync::OnceLock;

#[derive(Clone, Copy)]
pub enum Color {
    Green,
    Red,
    Yellow,
    Dim,
    Bold,
}

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED
        .get_or_init(|| std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()))
}

pub fn paint(text: &str, color: Color) -> String {
    if !enabled() {
        return text.to_string();
    }
    let code = match color {
        Color::Green => "32",
        Color::Red => "31",
        Color::Yellow => "33",
        Color::Dim => "2",
        Color::Bold => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}
