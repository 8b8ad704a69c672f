//! The body of the page written while its size is still being measured (see `page`): the page
//! begins with its size, so what the body's drawing writes before the measurement is in waits
//! here, and is written after the page's opening as soon as it is.

use std::io::{self, Write};
use std::thread::ScopedJoinHandle;

use crate::model::Rect;

/// At most this much of the body waits in memory; past it the drawing waits for the measurement
/// (which, formatting nothing, is usually done long before).
const HOLD: usize = 8 << 20;

/// A `Write` that holds what it is given until the measurement on the other thread is in, then
/// writes the opening the measurement decides, what it held, and passes the rest through.
pub struct Held<'o, 's, F> {
    out: &'o mut dyn Write,
    held: Vec<u8>,
    measuring: Option<ScopedJoinHandle<'s, Option<Rect>>>,
    /// Makes the page around the body from the body's extent.
    around: Option<F>,
    opened: Option<super::Around>,
}

impl<'o, 's, F: FnOnce(Option<Rect>) -> super::Around> Held<'o, 's, F> {
    pub fn new(
        out: &'o mut dyn Write,
        measuring: ScopedJoinHandle<'s, Option<Rect>>,
        around: F,
    ) -> Self {
        Held {
            out,
            held: Vec::new(),
            measuring: Some(measuring),
            around: Some(around),
            opened: None,
        }
    }

    /// Waits for the measurement if it is not in yet; writes the opening and what was held.
    fn release(&mut self) -> io::Result<()> {
        let (Some(measuring), Some(around)) = (self.measuring.take(), self.around.take()) else {
            return Ok(());
        };
        // A panic while measuring is passed on as it would be on one thread.
        let extent = measuring.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        let mut opened = around(extent);
        self.out.write_all(opened.opening().as_bytes())?;
        self.out.write_all(&std::mem::take(&mut self.held))?;
        self.opened = Some(opened);
        Ok(())
    }

    /// After the body: the opening if it is not written yet, then what `closing` makes of the
    /// page around the body.
    pub fn finish(mut self, closing: impl FnOnce(super::Around) -> String) -> io::Result<()> {
        self.release()?;
        if let Some(opened) = self.opened.take() {
            self.out.write_all(closing(opened).as_bytes())?;
        }
        self.out.flush()
    }
}

impl<F: FnOnce(Option<Rect>) -> super::Around> Write for Held<'_, '_, F> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(measuring) = &self.measuring {
            if !measuring.is_finished() && self.held.len() + bytes.len() <= HOLD {
                self.held.extend_from_slice(bytes);
                return Ok(bytes.len());
            }
            self.release()?;
        }
        self.out.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.measuring.is_some() {
            return Ok(());
        }
        self.out.flush()
    }
}
