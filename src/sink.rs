//! Where text is appended: a `String`, or the bytes of batch output. A
//! batch line is bytes, written out as it is made: text by construction
//! (only text and ASCII go in), so it is never checked again.

pub trait Sink {
    fn push_str(&mut self, text: &str);
    fn push(&mut self, c: char);
    /// One ASCII byte: a digit, a point, a sign.
    fn push_byte(&mut self, b: u8);
}

impl Sink for String {
    fn push_str(&mut self, text: &str) {
        String::push_str(self, text)
    }

    fn push(&mut self, c: char) {
        String::push(self, c)
    }

    fn push_byte(&mut self, b: u8) {
        debug_assert!(b.is_ascii());
        String::push(self, char::from(b))
    }
}

impl Sink for Vec<u8> {
    fn push_str(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes())
    }

    fn push(&mut self, c: char) {
        self.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes())
    }

    fn push_byte(&mut self, b: u8) {
        debug_assert!(b.is_ascii());
        Vec::push(self, b)
    }
}
