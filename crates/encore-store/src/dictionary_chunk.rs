//! A Parquet column chunk of text written from dictionaries: a listening log's text columns come
//! as dictionaries ([`TextColumn`]: each distinct value once and a number per row), so the chunk's
//! dictionary is theirs merged, a lookup per distinct value of a piece, where Parquet's own writer
//! would hash and compare every row's text again. The chunk is what that writer writes for a
//! dictionary-encoded column: a PLAIN dictionary page, then data pages (version 1) of definition
//! levels and RLE_DICTIONARY numbers, each page compressed with Snappy; its statistics are the
//! least and greatest value of the dictionary and the missing values' count.

use bytes::Bytes;
use datafusion::parquet::basic::{Compression, Encoding};
use datafusion::parquet::column::page::{CompressedPage, Page, PageWriter};
use datafusion::parquet::column::writer::ColumnCloseResult;
use datafusion::parquet::data_type::ByteArray;
use datafusion::parquet::errors::ParquetError;
use datafusion::parquet::file::metadata::ColumnChunkMetaData;
use datafusion::parquet::file::page_index::offset_index::{OffsetIndexMetaData, PageLocation};
use datafusion::parquet::file::statistics::Statistics;
use datafusion::parquet::file::writer::{SerializedPageWriter, TrackedWrite};
use datafusion::parquet::schema::types::ColumnDescPtr;

use encore_domain::TextColumn;

/// Not a number yet: a piece's value no row of the chunk has used.
const UNMAPPED: u32 = u32::MAX;

/// One row group's chunk of a text column, as it is filled.
pub(crate) struct TextChunk {
    descr: ColumnDescPtr,
    /// The dictionary: a text column of no rows, its distinct values numbered as first met.
    dictionary: TextColumn,
    /// The dictionary number of each row's value, rows with a value only.
    keys: Vec<u32>,
    /// Whether each row has a value.
    present: Vec<bool>,
    /// A piece's numbers mapped to the chunk's, reused from piece to piece.
    mapped: Vec<u32>,
}

impl TextChunk {
    /// A chunk of the column `descr`, with room for `rows` rows.
    pub(crate) fn new(descr: ColumnDescPtr, rows: usize) -> TextChunk {
        TextChunk {
            descr,
            dictionary: TextColumn::default(),
            keys: Vec::with_capacity(rows),
            present: Vec::with_capacity(rows),
            mapped: Vec::new(),
        }
    }

    pub(crate) fn rows(&self) -> usize {
        self.present.len()
    }

    /// How much text the dictionary holds.
    pub(crate) fn dictionary_bytes(&self) -> usize {
        self.dictionary.distinct_bytes()
    }

    /// Appends `column`'s rows; a missing value in a column that must have one is an error.
    pub(crate) fn append(&mut self, column: &TextColumn) -> Result<(), ParquetError> {
        if column.missing() == column.len() {
            return self.append_missing(column.len());
        }
        self.check_missing(column.missing())?;
        let (keys, present) = (column.keys(), column.present());
        // The values the rows hold are numbered in the chunk first, in the piece's order (the
        // order its rows first hold them), then each row's number is mapped.
        self.mapped.clear();
        self.mapped.resize(column.distinct(), UNMAPPED);
        for (&key, _) in keys.iter().zip(present).filter(|(_, present)| **present) {
            self.mapped[key as usize] = 0;
        }
        for key in 0..column.distinct() {
            if self.mapped[key] != UNMAPPED {
                self.mapped[key] = self.number(column.value(key as u32))?;
            }
        }
        let mapped = &self.mapped;
        if column.missing() == 0 {
            self.keys.extend(keys.iter().map(|&key| mapped[key as usize]));
        } else {
            let held = keys.iter().zip(present).filter(|(_, present)| **present);
            self.keys.extend(held.map(|(&key, _)| mapped[key as usize]));
        }
        self.present.extend_from_slice(present);
        Ok(())
    }

    /// Appends `rows` missing values; an error in a column that must have one.
    pub(crate) fn append_missing(&mut self, rows: usize) -> Result<(), ParquetError> {
        self.check_missing(rows)?;
        self.present.resize(self.present.len() + rows, false);
        Ok(())
    }

    /// Appends `rows` rows of `value`.
    pub(crate) fn append_repeated(&mut self, value: &str, rows: usize) -> Result<(), ParquetError> {
        let number = self.number(value)?;
        self.keys.resize(self.keys.len() + rows, number);
        self.present.resize(self.present.len() + rows, true);
        Ok(())
    }

    fn check_missing(&self, missing: usize) -> Result<(), ParquetError> {
        if missing > 0 && self.descr.max_def_level() == 0 {
            let name = self.descr.name();
            return Err(ParquetError::General(format!("{missing} rows have no {name}, which every row must have")));
        }
        Ok(())
    }

    /// The dictionary number of `text`, added if it is new.
    fn number(&mut self, text: &str) -> Result<u32, ParquetError> {
        self.dictionary.number(text).map_err(|_| {
            let name = self.descr.name();
            ParquetError::General(format!("the distinct values of {name} are more text than a page holds (2 GiB)"))
        })
    }

    /// The chunk's bytes, as they are to lie in the file from its first byte, and what the row
    /// group is told of them; data pages hold at most `page_rows` rows.
    pub(crate) fn finish(self, page_rows: usize) -> Result<(Bytes, ColumnCloseResult), ParquetError> {
        let rows = self.rows();
        let mut sink = TrackedWrite::new(Vec::new());
        let mut pages = SerializedPageWriter::new(&mut sink);
        let mut compressor = snap::raw::Encoder::new();
        let mut compressed = |text: &[u8]| -> Result<(Bytes, usize), ParquetError> {
            let bytes = compressor.compress_vec(text).map_err(|error| ParquetError::External(Box::new(error)))?;
            Ok((Bytes::from(bytes), text.len()))
        };
        let mut uncompressed_total = 0u64;
        let mut compressed_total = 0u64;

        let distinct = self.dictionary.distinct();
        let values = || (0..distinct as u32).map(|number| self.dictionary.value(number).as_bytes());
        let mut plain = Vec::with_capacity(self.dictionary.distinct_bytes() + 4 * distinct);
        for value in values() {
            plain.extend_from_slice(&length_of(value.len())?.to_le_bytes());
            plain.extend_from_slice(value);
        }
        let (buf, size) = compressed(&plain)?;
        let dictionary =
            Page::DictionaryPage { buf, num_values: distinct as u32, encoding: Encoding::PLAIN, is_sorted: false };
        let spec = pages.write_page(CompressedPage::new(dictionary, size))?;
        uncompressed_total += spec.uncompressed_size as u64;
        compressed_total += spec.compressed_size as u64;

        let bit_width = bits_for(distinct.saturating_sub(1) as u32);
        let optional = self.descr.max_def_level() > 0;
        let mut locations = Vec::new();
        let mut data_page_offset = None;
        let (mut first_key, mut levels, mut page) = (0, Vec::new(), Vec::new());
        for first_row in (0..rows).step_by(page_rows.max(1)) {
            let present = &self.present[first_row..rows.min(first_row + page_rows.max(1))];
            let values = present.iter().filter(|present| **present).count();
            page.clear();
            if optional {
                levels.clear();
                levels.extend(present.iter().map(|present| u32::from(*present)));
                let start = page.len();
                page.extend_from_slice(&[0; 4]);
                encode_hybrid(&levels, 1, &mut page);
                let length = length_of(page.len() - start - 4)?;
                page[start..start + 4].copy_from_slice(&length.to_le_bytes());
            }
            page.push(bit_width);
            encode_hybrid(&self.keys[first_key..first_key + values], bit_width, &mut page);
            first_key += values;
            let (buf, size) = compressed(&page)?;
            let data = Page::DataPage {
                buf,
                num_values: present.len() as u32,
                encoding: Encoding::RLE_DICTIONARY,
                def_level_encoding: Encoding::RLE,
                rep_level_encoding: Encoding::RLE,
                statistics: None,
            };
            let spec = pages.write_page(CompressedPage::new(data, size))?;
            uncompressed_total += spec.uncompressed_size as u64;
            compressed_total += spec.compressed_size as u64;
            data_page_offset.get_or_insert(spec.offset as i64);
            let too_large = || ParquetError::General(format!("a page of {} bytes", spec.bytes_written));
            let page_size = i32::try_from(spec.bytes_written).map_err(|_| too_large())?;
            locations.push(PageLocation {
                offset: spec.offset as i64,
                compressed_page_size: page_size,
                first_row_index: first_row as i64,
            });
        }
        pages.close()?;
        let bytes = Bytes::from(sink.into_inner()?);

        let nulls = (rows - self.keys.len()) as u64;
        let least = values().min().map(|value| ByteArray::from(value.to_vec()));
        let greatest = values().max().map(|value| ByteArray::from(value.to_vec()));
        let metadata = ColumnChunkMetaData::builder(self.descr.clone())
            .set_compression(Compression::SNAPPY)
            .set_encodings(vec![Encoding::PLAIN, Encoding::RLE, Encoding::RLE_DICTIONARY])
            .set_total_compressed_size(compressed_total as i64)
            .set_total_uncompressed_size(uncompressed_total as i64)
            .set_num_values(rows as i64)
            .set_dictionary_page_offset(Some(0))
            // A chunk of no rows has its dictionary page only.
            .set_data_page_offset(data_page_offset.unwrap_or(0))
            .set_statistics(Statistics::byte_array(least, greatest, None, Some(nulls), false));
        let close = ColumnCloseResult {
            bytes_written: bytes.len() as u64,
            rows_written: rows as u64,
            metadata: metadata.build()?,
            bloom_filter: None,
            column_index: None,
            offset_index: Some(OffsetIndexMetaData {
                page_locations: locations,
                unencoded_byte_array_data_bytes: None,
            }),
        };
        Ok((bytes, close))
    }
}

/// A length as Parquet's four bytes say it.
fn length_of(length: usize) -> Result<u32, ParquetError> {
    u32::try_from(length)
        .ok()
        .filter(|length| *length <= i32::MAX as u32)
        .ok_or_else(|| ParquetError::General(format!("{length} bytes are more than a Parquet page holds")))
}

/// How many bits the numbers up to `most` take.
fn bits_for(most: u32) -> u8 {
    (u32::BITS - most.leading_zeros()) as u8
}

/// `values` (each less than 2^`bit_width`) in Parquet's RLE / bit-packing hybrid: a run of at
/// least eight equal values as one repeated value, the rest bit-packed eight at a time (the last
/// eight padded with zeros).
fn encode_hybrid(values: &[u32], bit_width: u8, out: &mut Vec<u8>) {
    let mut literal_start = 0;
    let mut at = 0;
    while at < values.len() {
        let value = values[at];
        let run_end = at + values[at..].iter().take_while(|other| **other == value).count();
        // The values waiting to be bit-packed are topped up to whole groups of eight from the run;
        // what is left of it is worth a run of its own if it is eight or more.
        let top_up = (8 - (at - literal_start) % 8) % 8;
        if run_end - at >= top_up + 8 {
            let run_start = at + top_up;
            bit_pack(&values[literal_start..run_start], bit_width, out);
            put_varint(((run_end - run_start) as u64) << 1, out);
            out.extend_from_slice(&value.to_le_bytes()[..usize::from(bit_width).div_ceil(8)]);
            literal_start = run_end;
        }
        at = run_end;
    }
    bit_pack(&values[literal_start..], bit_width, out);
}

/// `values` as one bit-packed run: groups of eight, each value's bits from the lowest, the last
/// group padded with zeros; nothing for no values.
fn bit_pack(values: &[u32], bit_width: u8, out: &mut Vec<u8>) {
    if values.is_empty() {
        return;
    }
    let groups = values.len().div_ceil(8);
    put_varint(((groups as u64) << 1) | 1, out);
    out.reserve(groups * usize::from(bit_width));
    // Bits gather in a word and leave it four bytes at a time: fewer than 32 wait, so a value of
    // up to 32 bits always fits beside them.
    let (mut buffer, mut bits) = (0u64, 0u32);
    let padding = std::iter::repeat_n(&0, groups * 8 - values.len());
    for &value in values.iter().chain(padding) {
        buffer |= u64::from(value) << bits;
        bits += u32::from(bit_width);
        if bits >= 32 {
            out.extend_from_slice(&(buffer as u32).to_le_bytes());
            buffer >>= 32;
            bits -= 32;
        }
    }
    // Eight values of any width fill whole bytes.
    debug_assert_eq!(bits % 8, 0);
    out.extend_from_slice(&buffer.to_le_bytes()[..bits as usize / 8]);
}

/// `value` as an unsigned LEB128 varint.
fn put_varint(mut value: u64, out: &mut Vec<u8>) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Reads Parquet's RLE / bit-packing hybrid back: the first `count` values of `bytes`.
    fn decode_hybrid(mut bytes: &[u8], bit_width: u8, count: usize) -> Vec<u32> {
        let varint = |bytes: &mut &[u8]| {
            let (mut value, mut shift) = (0u64, 0);
            loop {
                let byte = bytes[0];
                *bytes = &bytes[1..];
                value |= u64::from(byte & 0x7F) << shift;
                shift += 7;
                if byte < 0x80 {
                    return value;
                }
            }
        };
        let width = usize::from(bit_width);
        let mut values = Vec::new();
        while values.len() < count {
            let header = varint(&mut bytes);
            if header & 1 == 1 {
                let count = (header >> 1) as usize * 8;
                for index in 0..count {
                    let mut value = 0u32;
                    for bit in 0..width {
                        let at = index * width + bit;
                        value |= u32::from((bytes[at / 8] >> (at % 8)) & 1) << bit;
                    }
                    values.push(value);
                }
                bytes = &bytes[count * width / 8..];
            } else {
                let value_bytes = width.div_ceil(8);
                let mut value = [0u8; 4];
                value[..value_bytes].copy_from_slice(&bytes[..value_bytes]);
                bytes = &bytes[value_bytes..];
                values.extend(std::iter::repeat_n(u32::from_le_bytes(value), (header >> 1) as usize));
            }
        }
        values.truncate(count);
        values
    }

    proptest! {
        #[test]
        fn the_hybrid_encoding_reads_back_as_its_values(
            runs in prop::collection::vec((0u32..40, 1usize..30), 0..40),
            bit_width in 6u8..=32,
        ) {
            let values: Vec<u32> =
                runs.iter().flat_map(|&(value, length)| std::iter::repeat_n(value, length)).collect();
            let mut bytes = Vec::new();
            encode_hybrid(&values, bit_width, &mut bytes);
            prop_assert_eq!(decode_hybrid(&bytes, bit_width, values.len()), values);
        }
    }

    #[test]
    fn widths_are_the_bits_of_the_greatest_number() {
        assert_eq!([bits_for(0), bits_for(1), bits_for(2), bits_for(255), bits_for(256)], [0, 1, 2, 8, 9]);
        let mut bytes = Vec::new();
        encode_hybrid(&[0; 20], 0, &mut bytes);
        assert_eq!(bytes, [40], "one run of twenty, its value in no bytes");
    }
}
