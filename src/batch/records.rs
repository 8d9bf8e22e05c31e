//! Where batch records begin and end, and the fields of a CSV record, by
//! one set of quoting rules.
//!
//! The reader finds every record boundary once, sequentially, and hands
//! blocks of whole records to the workers with those boundaries; the
//! workers never decide where a record ends. So the output is the same for
//! any number of workers and any block size. A quote opens a quoted field
//! only at the start of a field (`28"44` is the text `28"44`, as spreadsheet
//! programs write it); a quoted field may hold commas, doubled quotes and
//! line breaks. A record that does not end within [`MAX_RECORD`] bytes — a
//! quote never closed — is cut at the first line break after that quote and refused, and
//! reading goes on after it: one stray quote costs one record, not the rest
//! of the file, and memory stays bounded.

use std::io::BufRead;

use super::Format;

/// The longest record accepted, in bytes.
pub const MAX_RECORD: usize = 1 << 20;

/// Where a record ends in its block (just past its line break), and
/// whether it could not be read as a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End {
    pub at: usize,
    pub broken: bool,
}

/// Whole records read from the input, with their ends.
#[derive(Debug, Default)]
pub struct Block {
    pub bytes: Vec<u8>,
    pub ends: Vec<End>,
}

/// The state between bytes of CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first of a
    /// doubled quote.
    QuoteInQuoted,
}

impl State {
    /// The next state, and whether `b` ended the record.
    fn step(self, b: u8) -> (State, bool) {
        match (self, b) {
            (State::Quoted, b'"') => (State::QuoteInQuoted, false),
            (State::Quoted, _) => (State::Quoted, false),
            (State::QuoteInQuoted, b'"') => (State::Quoted, false),
            (_, b'\n') => (State::FieldStart, true),
            (_, b',') => (State::FieldStart, false),
            (State::FieldStart, b'"') => (State::Quoted, false),
            _ => (State::Unquoted, false),
        }
    }
}

/// Reads whole records into `block` until it holds about `size` bytes;
/// false when the input had nothing more.
pub fn read_block<R: BufRead>(input: &mut R, block: &mut Block, size: usize, format: Format) -> std::io::Result<bool> {
    block.bytes.clear();
    block.ends.clear();
    let mut scanner = Scanner::at(0);
    loop {
        let line_start = block.bytes.len();
        let (read, quote) = read_line(input, &mut block.bytes)?;
        if read == Line::End {
            scanner.finish(block, format);
            return Ok(!block.ends.is_empty());
        }
        if read == Line::TooLong {
            // The line alone exceeds a record: one refused record.
            block.ends.push(End { at: block.bytes.len(), broken: true });
            scanner = Scanner::at(block.bytes.len());
        } else if format == Format::Jsonl || (scanner.record_start == line_start && !quote) {
            // The common line: a whole record with no quote in it.
            block.ends.push(End { at: block.bytes.len(), broken: false });
            scanner = Scanner::at(block.bytes.len());
        } else {
            scanner.scan(block);
        }
        // Only between records: a field start is not a record start (`a,` at
        // the end of the input ends a field, not the record).
        if scanner.record_start == block.bytes.len() && block.bytes.len() >= size {
            return Ok(true);
        }
    }
}

/// Where the reader stands in a block.
struct Scanner {
    state: State,
    /// Where the record being read began.
    record_start: usize,
    /// How far the bytes have been scanned.
    scanned: usize,
    /// Where the last quoted field opened: the quote a record left open.
    quote: usize,
}

impl Scanner {
    fn at(start: usize) -> Scanner {
        Scanner { state: State::FieldStart, record_start: start, scanned: start, quote: start }
    }

    /// Scans what was read since the last scan, ending records at line
    /// breaks outside quotes; a record grown past [`MAX_RECORD`] is cut.
    fn scan(&mut self, block: &mut Block) {
        while self.scanned < block.bytes.len() {
            let (state, ended) = self.state.step(block.bytes[self.scanned]);
            if self.state == State::FieldStart && state == State::Quoted {
                self.quote = self.scanned;
            }
            self.state = state;
            self.scanned += 1;
            if ended {
                block.ends.push(End { at: self.scanned, broken: false });
                self.record_start = self.scanned;
            }
        }
        if self.state == State::Quoted && self.scanned - self.record_start > MAX_RECORD {
            self.cut(block);
        }
    }

    /// The open record is refused up to the first line break after the
    /// quote it left open (breaks inside its earlier, closed quoted fields
    /// belong to it); what follows is read again as records.
    fn cut(&mut self, block: &mut Block) {
        let from = self.quote.max(self.record_start);
        let first_break = block.bytes[from..].iter().position(|&b| b == b'\n');
        let at = first_break.map_or(block.bytes.len(), |i| from + i + 1);
        block.ends.push(End { at, broken: true });
        *self = Scanner::at(at);
        self.scan(block);
    }

    /// At the end of the input: a record left open is refused the same way.
    fn finish(&mut self, block: &mut Block, format: Format) {
        if format == Format::Csv {
            self.scan(block);
            while self.state == State::Quoted && self.record_start < block.bytes.len() {
                self.cut(block);
            }
        }
        if self.record_start < block.bytes.len() && block.ends.last().is_none_or(|e| e.at < block.bytes.len()) {
            // The last record, without a line break.
            block.ends.push(End { at: block.bytes.len(), broken: false });
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    Read,
    /// Longer than a record may be: the rest of it was skipped.
    TooLong,
    End,
}

/// Reads one line, at most [`MAX_RECORD`] bytes of it kept, and whether
/// the bytes kept hold a quote: one pass over the input's buffer finds
/// both.
fn read_line<R: BufRead>(input: &mut R, out: &mut Vec<u8>) -> std::io::Result<(Line, bool)> {
    let start = out.len();
    let mut quote = false;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok((if out.len() == start { Line::End } else { Line::Read }, quote));
        }
        // One byte beyond a record is read to tell a line too long.
        let room = (start + MAX_RECORD + 1).saturating_sub(out.len());
        let window = &buffer[..buffer.len().min(room)];
        let mut from = 0;
        let end = loop {
            match memchr::memchr2(b'\n', b'"', &window[from..]) {
                Some(k) if window[from + k] == b'\n' => break Some(from + k + 1),
                Some(k) => {
                    quote = true;
                    from += k + 1;
                }
                None => break None,
            }
        };
        let taken = end.unwrap_or(window.len());
        out.extend_from_slice(&window[..taken]);
        input.consume(taken);
        if end.is_some() {
            return Ok((Line::Read, quote));
        }
        if out.len() - start > MAX_RECORD {
            break;
        }
    }
    // Skip the rest of the line without keeping it.
    out.truncate(start + MAX_RECORD);
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok((Line::TooLong, quote));
        }
        match memchr::memchr(b'\n', buffer) {
            Some(i) => {
                input.consume(i + 1);
                out.push(b'\n');
                return Ok((Line::TooLong, quote));
            }
            None => {
                let n = buffer.len();
                input.consume(n);
            }
        }
    }
}

/// How many records a run of a block holds: its ends, blank lines aside
/// (a record that could not be read counts; it is refused).
pub fn count(block: &Block, run: std::ops::Range<usize>) -> u64 {
    let mut start = if run.start == 0 { 0 } else { block.ends[run.start - 1].at };
    let mut n = 0;
    for end in &block.ends[run] {
        if end.broken || !is_blank(trim_break(&block.bytes[start..end.at])) {
            n += 1;
        }
        start = end.at;
    }
    n
}

/// A line with nothing but spaces: not a record.
pub fn is_blank(record: &[u8]) -> bool {
    record.iter().all(u8::is_ascii_whitespace)
}

/// Why a record's fields cannot be read: the field's number (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    NotUtf8(usize),
    AfterQuote(usize),
}

/// The fields of one CSV record, read into buffers reused record to
/// record: a record without quotes is its own text, so only where its
/// fields end is kept; a quoted record's fields are unquoted into `text`.
#[derive(Debug, Default)]
pub struct Fields {
    text: String,
    /// Where each field ends; the next starts one byte further.
    ends: Vec<usize>,
}

/// The fields of one record, as read by [`Fields::read`].
#[derive(Clone, Copy, Debug)]
pub struct Cells<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> Cells<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] + 1 };
        self.text.get(start..end)
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let text = self.text;
        self.ends.iter().scan(0, move |start, &end| {
            let field = text.get(*start..end).unwrap_or("");
            *start = end + 1;
            Some(field)
        })
    }
}

impl Fields {
    /// Reads the fields of `record` (its line break already removed). A
    /// field that is not UTF-8, or that has text after its closing quote
    /// (`"34"3`: a stray quote that would join 34 and 3 into 343), is
    /// refused with its number (1-based).
    pub fn read<'a>(&'a mut self, record: &'a [u8]) -> Result<Cells<'a>, FieldError> {
        if !record.contains(&b'"') {
            return match std::str::from_utf8(record) {
                Ok(text) => self.read_text(text),
                Err(e) => {
                    let valid = e.valid_up_to();
                    let field = record[..valid].iter().filter(|&&b| b == b',').count();
                    Err(FieldError::NotUtf8(field + 1))
                }
            };
        }
        self.unquote(record)
    }

    /// [`Fields::read`] of a record already known to be UTF-8 text: a
    /// block checked whole, where checking each record again would cost
    /// more than reading its numbers.
    pub fn read_text<'a>(&'a mut self, record: &'a str) -> Result<Cells<'a>, FieldError> {
        if !self.find_ends(record.as_bytes()) {
            return self.unquote(record.as_bytes());
        }
        Ok(Cells { text: record, ends: &self.ends })
    }

    /// The common record: no quotes, its commas the separators. False,
    /// with the ends unfinished, when the record has a quote. Eight bytes
    /// at a time: a record is mostly short cells, a comma every few bytes,
    /// where a byte-by-byte loop or a search per comma costs more.
    fn find_ends(&mut self, record: &[u8]) -> bool {
        self.ends.clear();
        let mut words = record.chunks_exact(8);
        let mut at = 0;
        for word in &mut words {
            let Ok(bytes) = <[u8; 8]>::try_from(word) else { break };
            let word = u64::from_le_bytes(bytes);
            if bytes_equal(word, b'"') != 0 {
                return false;
            }
            let mut commas = bytes_equal(word, b',');
            while commas != 0 {
                self.ends.push(at + (commas.trailing_zeros() / 8) as usize);
                commas &= commas - 1;
            }
            at += 8;
        }
        for (k, &b) in words.remainder().iter().enumerate() {
            match b {
                b'"' => return false,
                b',' => self.ends.push(at + k),
                _ => {}
            }
        }
        self.ends.push(record.len());
        true
    }

    fn unquote<'a>(&'a mut self, record: &[u8]) -> Result<Cells<'a>, FieldError> {
        // The fields' bytes go into the text's own buffer, checked in place
        // (not copied a second time).
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        bytes.clear();
        self.ends.clear();
        let n = record.len();
        let mut i = 0;
        loop {
            if !self.ends.is_empty() {
                bytes.push(b',');
            }
            let quoted = record.get(i) == Some(&b'"');
            if quoted {
                i += 1;
                loop {
                    match record[i..].iter().position(|&b| b == b'"') {
                        None => {
                            bytes.extend_from_slice(&record[i..]);
                            i = n;
                            break;
                        }
                        Some(q) => {
                            bytes.extend_from_slice(&record[i..i + q]);
                            i += q + 1;
                            if record.get(i) == Some(&b'"') {
                                bytes.push(b'"');
                                i += 1;
                            } else {
                                break;
                            }
                        }
                    }
                }
            }
            let rest = record[i..].iter().position(|&b| b == b',').unwrap_or(n - i);
            // After a closing quote only the comma (spaces aside) may follow.
            if quoted && !record[i..i + rest].iter().all(u8::is_ascii_whitespace) {
                return Err(FieldError::AfterQuote(self.ends.len() + 1));
            }
            if !quoted {
                bytes.extend_from_slice(&record[i..i + rest]);
            }
            i += rest;
            self.ends.push(bytes.len());
            if i >= n {
                break;
            }
            i += 1;
        }
        // The fields' bytes as the text, or the first field that is not UTF-8.
        match String::from_utf8(bytes) {
            Ok(text) => {
                self.text = text;
                Ok(Cells { text: &self.text, ends: &self.ends })
            }
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                Err(FieldError::NotUtf8(self.ends.partition_point(|&end| end <= valid) + 1))
            }
        }
    }
}

/// The high bit of each byte of `word` that equals `b`, exactly (no
/// borrow runs from one byte into the next).
fn bytes_equal(word: u64, b: u8) -> u64 {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ (u64::from(b) * 0x0101_0101_0101_0101);
    // A byte's high bit is set here when the byte is not zero.
    let nonzero = ((x & LOW) + LOW) | x;
    !nonzero & !LOW
}

/// A record's bytes without its line break (`\n` or `\r\n`).
pub fn trim_break(record: &[u8]) -> &[u8] {
    let record = record.strip_suffix(b"\n").unwrap_or(record);
    record.strip_suffix(b"\r").unwrap_or(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<(String, bool)> {
        let mut input = text.as_bytes();
        let mut block = Block::default();
        let mut out = Vec::new();
        while read_block(&mut input, &mut block, 16, Format::Csv).unwrap() {
            let mut start = 0;
            for end in &block.ends {
                let record = String::from_utf8_lossy(trim_break(&block.bytes[start..end.at])).into_owned();
                out.push((record, end.broken));
                start = end.at;
            }
        }
        out
    }

    fn fields(record: &str) -> Vec<String> {
        let mut f = Fields::default();
        let cells = f.read(record.as_bytes()).unwrap();
        let by_index: Vec<String> = (0..cells.len()).map(|i| cells.get(i).unwrap().to_string()).collect();
        assert_eq!(by_index, cells.iter().collect::<Vec<_>>());
        by_index
    }

    #[test]
    fn text_after_a_closing_quote_is_refused_not_joined() {
        let read = |record: &str| Fields::default().read(record.as_bytes()).map(|c| c.len());
        // `"34"3` was read as 343: a stray quote changed the number silently.
        assert_eq!(read("a,\"34\"3,b"), Err(FieldError::AfterQuote(2)));
        assert_eq!(read("\"x\"y"), Err(FieldError::AfterQuote(1)));
        // Spaces after the quote, before the comma, are no text.
        assert_eq!(fields("\"34\" ,b"), ["34", "b"]);
    }

    #[test]
    fn quotes_open_only_at_a_field_start() {
        assert_eq!(fields("28\"44,\"a,b\",\"say \"\"hi\"\"\""), ["28\"44", "a,b", "say \"hi\""]);
        assert_eq!(fields("a,,\"\""), ["a", "", ""]);
        let read = records("x,28\"44\ny,\"two\nlines\"\nz,1\n");
        assert_eq!(read, [("x,28\"44".into(), false), ("y,\"two\nlines\"".into(), false), ("z,1".into(), false)]);
    }

    #[test]
    fn a_quote_never_closed_costs_one_record() {
        let mut text = String::from("a,\"open\n");
        for i in 0..MAX_RECORD / 8 {
            text.push_str(&format!("r{i},1\n"));
        }
        let read = records(&text);
        assert_eq!(read[0], ("a,\"open".to_string(), true));
        assert_eq!(read.len(), 1 + MAX_RECORD / 8, "every record after it is read");
        assert!(read[1..].iter().all(|(_, broken)| !broken));
        // A closed quoted field with a line break before the open quote is
        // part of the refused record, not a record of its own.
        assert_eq!(records("a,\"1\n2\",\"open\nc,2\n"), [("a,\"1\n2\",\"open".into(), true), ("c,2".into(), false)]);
        // At the end of the input as well.
        assert_eq!(
            records("a,1\nb,\"open\nc,2\n"),
            [("a,1".into(), false), ("b,\"open".into(), true), ("c,2".into(), false)]
        );
    }

    #[test]
    fn a_last_record_ending_in_a_comma_is_kept_whatever_the_block_size() {
        // Found by fuzzing: the block was handed over as whole records, with none ended.
        let text = "x,\"q\"z,";
        let mut input = text.as_bytes();
        let mut block = Block::default();
        assert!(read_block(&mut input, &mut block, 4, Format::Csv).unwrap());
        assert_eq!(block.ends, [End { at: text.len(), broken: false }]);
    }

    #[test]
    fn commas_and_quotes_are_found_in_every_byte_of_a_word() {
        // Every position within and across eight-byte words, beside bytes
        // one above and below a comma (a borrow would flag them).
        for len in 0..20 {
            for at in 0..len {
                // One below a comma everywhere, one above after it.
                let mut record = vec![b'+'; len];
                record[at] = b',';
                if at + 1 < len {
                    record[at + 1] = b'-';
                }
                let text = String::from_utf8(record.clone()).unwrap();
                let expected: Vec<&str> = text.split(',').collect();
                assert_eq!(fields(&text), expected, "{text}");
                // And around a quote.
                let mut record = vec![b'!'; len];
                record[at] = b'"';
                if at + 1 < len {
                    record[at + 1] = b'#';
                }
                let mut f = Fields::default();
                assert!(f.find_ends(&vec![b'!'; len]));
                let quoted = f.find_ends(&record);
                assert!(!quoted, "a quote at {at} of {len}");
            }
        }
        assert_eq!(fields(",,,,,,,,,"), vec![""; 10]);
    }

    #[test]
    fn a_line_is_kept_to_the_longest_record_and_the_rest_skipped() {
        // Lines around the limit, with a quote early or late, and a last
        // line without a break; read through buffers smaller and larger
        // than a line.
        let lengths = [3, MAX_RECORD - 1, MAX_RECORD, MAX_RECORD + 1, MAX_RECORD + 2, 2 * MAX_RECORD + 5, 0];
        for last in [0, MAX_RECORD, MAX_RECORD + 1] {
            let mut text = Vec::new();
            let mut expected = Vec::new();
            for (k, &n) in lengths.iter().enumerate() {
                let mut line = vec![b'1'; n];
                if n > 0 {
                    // A quote at the start, or just past what is kept.
                    let at = if k % 2 == 0 { 0 } else { n.min(MAX_RECORD + 1) - 1 };
                    line[at] = b'"';
                }
                text.extend_from_slice(&line);
                text.push(b'\n');
                let kept = n.min(MAX_RECORD);
                let mut out = line[..kept].to_vec();
                out.push(b'\n');
                let quote = out.contains(&b'"');
                expected.push((if n > MAX_RECORD { Line::TooLong } else { Line::Read }, quote, out));
            }
            if last > 0 {
                text.extend(std::iter::repeat_n(b'2', last));
                let line = if last > MAX_RECORD { Line::TooLong } else { Line::Read };
                expected.push((line, false, vec![b'2'; last.min(MAX_RECORD)]));
            }
            for capacity in [4093, 1 << 16] {
                let mut input = std::io::BufReader::with_capacity(capacity, text.as_slice());
                let mut read = Vec::new();
                loop {
                    let mut out = Vec::new();
                    let (line, quote) = read_line(&mut input, &mut out).unwrap();
                    if line == Line::End {
                        break;
                    }
                    read.push((line, quote, out));
                }
                assert_eq!(read.len(), expected.len(), "last {last}, capacity {capacity}");
                for (k, (got, want)) in read.iter().zip(&expected).enumerate() {
                    // Whether a line too long held a quote is not asked: it is refused whole.
                    let same = got.0 == want.0 && got.2 == want.2 && (got.0 == Line::TooLong || got.1 == want.1);
                    assert!(same, "line {k}, last {last}, capacity {capacity}: {:?} {:?}", got.0, got.1);
                }
            }
        }
    }

    #[test]
    fn not_utf8_names_the_field() {
        let mut f = Fields::default();
        assert_eq!(f.read(b"ok,\xff\xfe,x").map(|c| c.len()), Err(FieldError::NotUtf8(2)));
        assert_eq!(f.read(b"\"ok\",\xff\xfe,x").map(|c| c.len()), Err(FieldError::NotUtf8(2)));
    }
}
