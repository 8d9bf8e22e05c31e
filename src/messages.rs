//! The one catalogue of diagnostic words, keyed by code, in Chinese and English.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

pub struct Text {
    pub message: &'static str,
    pub help: &'static str,
    pub labels: &'static [&'static str],
}

pub struct Entry {
    pub code: &'static str,
    pub en: Text,
    pub zh: Text,
}

const UNKNOWN: Text = Text {
    message: "{code}",
    help: "",
    labels: &[],
};

pub fn text(code: &str, lang: Lang) -> &'static Text {
    match CATALOGUE.iter().find(|e| e.code == code) {
        Some(entry) => match lang {
            Lang::En => &entry.en,
            Lang::Zh => &entry.zh,
        },
        None => &UNKNOWN,
    }
}

pub fn did_you_mean(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "did you mean `{suggestion}`?",
        Lang::Zh => "是否想写 `{suggestion}`？",
    }
}

/// Replaces `{key}` with its argument.
pub fn fill(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = template.to_string();
    for (key, value) in args {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

macro_rules! entry {
    ($code:expr, en: ($m:expr, $h:expr, [$($l:expr),*]), zh: ($zm:expr, $zh:expr, [$($zl:expr),*])) => {
        Entry {
            code: $code,
            en: Text { message: $m, help: $h, labels: &[$($l),*] },
            zh: Text { message: $zm, help: $zh, labels: &[$($zl),*] },
        }
    };
}

pub static CATALOGUE: &[Entry] = &[
    entry!("jixiao::syntax::parse",
        en: ("expected {expected}, found {found}", "", ["expected {expected} here"]),
        zh: ("此处应为 {expected}，实际是 {found}", "", ["此处应为 {expected}"])),
    entry!("jixiao::syntax::number",
        en: ("the number `{number}` cannot be represented exactly", "numbers may have at most 28 significant digits", ["this number"]),
        zh: ("数值 `{number}` 无法精确表示", "数值最多 28 位有效数字", ["此数值"])),
    entry!("jixiao::syntax::internal",
        en: ("internal error: the parser lost a `{rule}` here", "please report this file to the jixiao developers", ["here"]),
        zh: ("内部错误：解析器在此处丢失了 `{rule}`", "请将此文件报告给 jixiao 开发者", ["此处"])),
];
