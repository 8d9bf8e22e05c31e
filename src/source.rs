//! The files a run has read, so that any span can be shown with its text.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::messages::Word;
use crate::span::FileId;

/// One loaded file: the name diagnostics print, its path, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Where each line starts, built the first time a place is shown: a
    /// position then costs a binary search, not a walk from the start.
    lines: OnceLock<Arc<[usize]>>,
}

impl SourceFile {
    /// The byte offset at which each line starts.
    pub fn line_starts(&self) -> Arc<[usize]> {
        self.lines
            .get_or_init(|| {
                std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect::<Vec<_>>().into()
            })
            .clone()
    }
}

/// Every file a run has read, in the order they were read.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, path: &Path, text: impl Into<Arc<str>>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            name: display_name(path),
            path: path.to_path_buf(),
            text: text.into(),
            lines: OnceLock::new(),
        });
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn text(&self, id: FileId) -> &str {
        self.get(id).map(|f| &*f.text).unwrap_or("")
    }

    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map(|f| f.name.as_str()).unwrap_or("")
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let Some(file) = self.get(id) else { return (1, 1) };
        let offset = offset.min(file.text.len());
        let starts = file.line_starts();
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let line_start = starts[line - 1];
        let col = file.text.get(line_start..offset).map(|s| s.chars().count()).unwrap_or(0) + 1;
        (line, col)
    }
}

/// Paths print relative to the working directory when they are under it, so
/// diagnostics and snapshots do not depend on where the checkout lives.
pub fn display_name(path: &Path) -> String {
    // Asked once: jixiao never changes its working directory, and a folder
    // of 2 000 projects names 4 000 files.
    static WORKING_DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    let shown = WORKING_DIR
        .get_or_init(|| std::env::current_dir().ok())
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    // The working folder itself is `.`, never an empty name.
    if shown.as_os_str().is_empty() {
        return ".".into();
    }
    shown.to_string_lossy().replace('\\', "/")
}

/// The code of a file that is text, but not UTF-8.
pub const ENCODING: &str = "jixiao::io::encoding";

/// The code of a file that cannot be read at all: rule files, data files
/// and batch input alike.
pub const UNREADABLE: &str = "jixiao::io::unreadable";

/// Why a file could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// Longer than [`MAX_TEXT`]: refused by its length before it is read,
    /// or, a pipe or a device that tells none, as soon as it has given more.
    TooLarge {
        length: Option<u64>,
    },
    /// Not UTF-8: what it looks like, the name `iconv` knows it by, and the
    /// byte offset of the first byte that is not UTF-8.
    Encoding {
        looks_like: Option<&'static str>,
        iconv: &'static str,
        offset: usize,
    },
}

impl ReadError {
    /// The problem for this failure: `io_code` for an I/O error, the
    /// encoding code with how to convert the file otherwise.
    pub fn problem(&self, io_code: &'static str, path: &Path) -> crate::diagnostic::Problem {
        use crate::diagnostic::Problem;
        match self {
            ReadError::Io(e) => Problem::error(io_code).arg("path", path.display()).arg_io("reason", e.kind()),
            ReadError::TooLarge { length } => {
                let limit = (MAX_TEXT >> 20).to_string();
                let problem = Problem::error(io_code).arg("path", path.display());
                match length {
                    Some(length) => problem.arg_word(
                        "reason",
                        Word::IoTooLarge,
                        &[("length", &length.to_string()), ("limit", &limit)],
                    ),
                    None => problem.arg_word("reason", Word::IoTooLong, &[("limit", &limit)]),
                }
            }
            ReadError::Encoding { looks_like, iconv, offset } => {
                let problem = Problem::error(ENCODING).arg("path", path.display());
                match looks_like {
                    Some(name) => problem.arg_word("looks_like", Word::LooksLikeEncoding, &[("name", name)]),
                    None => problem.arg_word("looks_like", Word::EncodingUnknown, &[]),
                }
                .arg("offset", offset)
                .arg("iconv", iconv)
            }
        }
    }
}

/// The longest file read as text: far beyond any rule or data file, far
/// short of memory (a file of a terabyte, sparse or not, is refused at once).
pub const MAX_TEXT: u64 = 1 << 30;

/// Reads a file as UTF-8 text. Offices often save GBK or UTF-16: a file in
/// another encoding is named, with where it stops being UTF-8.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // A pipe or a device tells no length: read up to the limit.
    let length = file.metadata().ok().filter(std::fs::Metadata::is_file).map(|m| m.len());
    read_open(file, length)
}

/// [`read_text`] of a file whose length a listing already gave: the buffer
/// is sized from it instead of asking the file again (a folder of 2 000
/// projects: 2 000 system calls fewer). A file that changed since is still
/// read whole, to its end.
pub fn read_text_sized(path: &Path, length: u64) -> Result<String, ReadError> {
    read_open(std::fs::File::open(path).map_err(ReadError::Io)?, Some(length))
}

fn read_open(file: std::fs::File, length: Option<u64>) -> Result<String, ReadError> {
    if let Some(length) = length.filter(|&l| l > MAX_TEXT) {
        return Err(ReadError::TooLarge { length: Some(length) });
    }
    let mut bytes = Vec::new();
    // One byte over, so the read that finds the end needs no larger buffer.
    let wanted = usize::try_from(length.unwrap_or(0)).unwrap_or(usize::MAX).saturating_add(1);
    bytes.try_reserve_exact(wanted).map_err(|_| ReadError::Io(std::io::ErrorKind::OutOfMemory.into()))?;
    // Through `Take`: `File`'s own `read_to_end` asks for the length again.
    let read =
        std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_TEXT + 1), &mut bytes).map_err(ReadError::Io)?;
    if read as u64 > MAX_TEXT {
        // Only a file that grew since its length was asked, or a stream.
        return Err(ReadError::TooLarge { length: None });
    }
    decode(bytes)
}

fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    // Checked with SIMD, then copied: std's check takes several instructions
    // a byte of Chinese text, a copy a fraction of one (2 000 projects' rules
    // and data are read on every run).
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Ok(text.to_owned());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let (looks_like, iconv) = guess_encoding(e.as_bytes());
            Err(ReadError::Encoding { looks_like, iconv, offset })
        }
    }
}

/// UTF-16 by its byte-order mark or its zero bytes; GBK when every byte
/// above ASCII pairs as a GBK lead and trail byte.
fn guess_encoding(bytes: &[u8]) -> (Option<&'static str>, &'static str) {
    match bytes {
        [0xFF, 0xFE, ..] => return (Some("UTF-16 (little-endian)"), "UTF-16"),
        [0xFE, 0xFF, ..] => return (Some("UTF-16 (big-endian)"), "UTF-16"),
        _ => {}
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros_at = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let half = sample.len() / 4;
    if half > 0 && zeros_at(1) > half {
        return (Some("UTF-16 (little-endian)"), "UTF-16LE");
    }
    if half > 0 && zeros_at(0) > half {
        return (Some("UTF-16 (big-endian)"), "UTF-16BE");
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x00..=0x7F => i += 1,
            0x81..=0xFE if matches!(bytes.get(i + 1), Some(0x40..=0x7E | 0x80..=0xFE)) => i += 2,
            _ => return (None, "GB18030"),
        }
    }
    (Some("GBK (GB18030)"), "GB18030")
}

#[cfg(test)]
mod tests {
    /// The length a listing gave only sizes the buffer: a file that grew
    /// or shrank since is read as it is now.
    #[test]
    fn a_file_is_read_whole_whatever_length_was_listed() {
        let dir = std::env::temp_dir().join(format!("jixiao-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.jx");
        let text = "项目 P { 年度 2018 }\n".repeat(500);
        std::fs::write(&path, &text).unwrap();
        for listed in [0, 1, 10, text.len() as u64, text.len() as u64 * 3] {
            assert_eq!(super::read_text_sized(&path, listed).unwrap(), text, "listed as {listed} bytes");
        }
        std::fs::write(&path, "").unwrap();
        assert_eq!(super::read_text_sized(&path, 100).unwrap(), "");
        std::fs::write(&path, [0xB9, 0xFA]).unwrap();
        assert!(matches!(super::read_text_sized(&path, 2), Err(super::ReadError::Encoding { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A file refused by its length says how long it is; a pipe, which
    /// tells none, says only that it gave more than the limit.
    #[test]
    fn a_text_too_large_says_what_is_known_of_its_length() {
        use crate::messages::Lang;
        let path = std::path::Path::new("a.toml");
        let said =
            |length| super::ReadError::TooLarge { length }.problem(super::UNREADABLE, path).render(Lang::En).message;
        let known = said(Some(1 << 40));
        assert!(known.contains("it holds 1099511627776 bytes, more than the 1024 MiB"), "{known}");
        let streamed = said(None);
        assert!(streamed.contains("it gave more than the 1024 MiB") && !streamed.contains("holds"), "{streamed}");
    }
}
