//! A zip archive of stored (uncompressed) files, written by hand.
//!
//! Why not the `zip` crate: every learner compiles the xtask, while an
//! instructor packs an autograder once a term. Storing needs only the
//! archive's headers and a CRC-32, a few dozen lines; compressing would
//! need a deflate implementation (`zip` with `deflate` brings `flate2` and
//! a backend). The course's sources are about 6 MB stored: small enough to
//! upload as they are.
//!
//! The archive is reproducible: every entry has the same date (1980-01-01,
//! the format's first), entries keep the order they were added in, and the
//! Unix permissions travel in each entry's external attributes (so that
//! `run_autograder` stays executable).

use std::io::{self, Write};

/// One file of the archive.
pub struct Entry {
    /// With `/` separators, relative to the archive's root.
    pub name: String,
    pub bytes: Vec<u8>,
    /// Unix permission bits, such as `0o755`.
    pub mode: u32,
}

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
/// Version 2.0 of the format: enough for stored files and folders.
const VERSION: u16 = 20;
/// "Made by" Unix (3): readers then take the permissions from the
/// external attributes.
const MADE_BY: u16 = (3 << 8) | VERSION;
/// Bit 11: names are UTF-8.
const UTF8: u16 = 1 << 11;
/// 1980-01-01 in the DOS date format (day 1, month 1, year 0); time 00:00.
const DATE: u16 = (1 << 5) | 1;
const TIME: u16 = 0;

/// Writes `entries` as a zip archive to `out`.
pub fn write(out: &mut impl Write, entries: &[Entry]) -> io::Result<()> {
    if entries.len() > usize::from(u16::MAX) {
        return Err(io::Error::other("more than 65535 files: a zip without the zip64 extension cannot hold them"));
    }
    let too_large = || io::Error::other("an archive of 4 GiB or more needs the zip64 extension");
    let mut offset: u32 = 0;
    let mut central = Vec::new();
    for entry in entries {
        let name = entry.name.as_bytes();
        let size = u32::try_from(entry.bytes.len()).map_err(|_| too_large())?;
        let name_len = u16::try_from(name.len()).map_err(|_| io::Error::other("a file name over 65535 bytes"))?;
        let crc = crc32(&entry.bytes);

        let mut local = Vec::with_capacity(30 + name.len());
        put32(&mut local, LOCAL);
        put16(&mut local, VERSION);
        put16(&mut local, UTF8);
        put16(&mut local, 0); // stored
        put16(&mut local, TIME);
        put16(&mut local, DATE);
        put32(&mut local, crc);
        put32(&mut local, size); // compressed size
        put32(&mut local, size);
        put16(&mut local, name_len);
        put16(&mut local, 0); // no extra field
        local.extend_from_slice(name);
        out.write_all(&local)?;
        out.write_all(&entry.bytes)?;

        put32(&mut central, CENTRAL);
        put16(&mut central, MADE_BY);
        put16(&mut central, VERSION);
        put16(&mut central, UTF8);
        put16(&mut central, 0);
        put16(&mut central, TIME);
        put16(&mut central, DATE);
        put32(&mut central, crc);
        put32(&mut central, size);
        put32(&mut central, size);
        put16(&mut central, name_len);
        put16(&mut central, 0); // extra
        put16(&mut central, 0); // comment
        put16(&mut central, 0); // disk
        put16(&mut central, 0); // internal attributes
        put32(&mut central, (0o100_000 | (entry.mode & 0o777)) << 16); // a regular file, its permissions
        put32(&mut central, offset);
        central.extend_from_slice(name);

        let written = local.len() as u64 + u64::from(size);
        offset = u32::try_from(u64::from(offset) + written).map_err(|_| too_large())?;
    }
    let count = entries.len() as u16;
    let central_size = u32::try_from(central.len()).map_err(|_| too_large())?;
    out.write_all(&central)?;
    let mut end = Vec::with_capacity(22);
    put32(&mut end, END);
    put16(&mut end, 0); // this disk
    put16(&mut end, 0); // the disk of the central directory
    put16(&mut end, count);
    put16(&mut end, count);
    put32(&mut end, central_size);
    put32(&mut end, offset);
    put16(&mut end, 0); // no comment
    out.write_all(&end)
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// CRC-32 as zip (and gzip, PNG) compute it: polynomial 0xEDB88320,
/// reflected, starting from and finished with all ones.
pub fn crc32(bytes: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = [0u32; 256];
        for (i, slot) in table.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            *slot = c;
        }
        table
    });
    let mut crc = !0u32;
    for &b in bytes {
        crc = table[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// Reads back an archive `write` wrote: name, bytes and mode of each entry,
/// from the central directory, checking every CRC. For tests.
#[cfg(test)]
pub fn read(archive: &[u8]) -> Vec<Entry> {
    let u16_at = |at: usize| u16::from_le_bytes([archive[at], archive[at + 1]]);
    let u32_at = |at: usize| u32::from_le_bytes(archive[at..at + 4].try_into().unwrap());
    let end = archive.len() - 22;
    assert_eq!(u32_at(end), END);
    let count = usize::from(u16_at(end + 10));
    let mut at = u32_at(end + 16) as usize;
    let mut entries = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(at), CENTRAL);
        let crc = u32_at(at + 16);
        let size = u32_at(at + 24) as usize;
        let name_len = usize::from(u16_at(at + 28));
        let mode = (u32_at(at + 38) >> 16) & 0o777;
        let local = u32_at(at + 42) as usize;
        let name = String::from_utf8(archive[at + 46..at + 46 + name_len].to_vec()).unwrap();
        assert_eq!(u32_at(local), LOCAL);
        let data = local + 30 + usize::from(u16_at(local + 26)) + usize::from(u16_at(local + 28));
        let bytes = archive[data..data + size].to_vec();
        assert_eq!(crc32(&bytes), crc, "{name}");
        entries.push(Entry { name, bytes, mode });
        at += 46 + name_len;
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn entries_come_back_with_their_bytes_and_modes() {
        let entries = vec![
            Entry { name: "run_autograder".into(), bytes: b"#!/bin/sh\n".to_vec(), mode: 0o755 },
            Entry { name: "course/é.txt".into(), bytes: vec![0, 1, 2, 255], mode: 0o644 },
            Entry { name: "empty".into(), bytes: Vec::new(), mode: 0o644 },
        ];
        let mut archive = Vec::new();
        write(&mut archive, &entries).unwrap();
        let back = read(&archive);
        assert_eq!(back.len(), 3);
        for (a, b) in entries.iter().zip(&back) {
            assert_eq!((&a.name, &a.bytes, a.mode), (&b.name, &b.bytes, b.mode));
        }
        // Reproducible: the same entries make the same bytes.
        let mut again = Vec::new();
        write(&mut again, &entries).unwrap();
        assert_eq!(archive, again);
    }
}
