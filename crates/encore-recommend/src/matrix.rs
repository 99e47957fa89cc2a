//! Who played what, how often: a sparse users × items matrix of play counts, kept both ways
//! (each user's items and each item's users) because ALS solves one side from the other.

use std::collections::HashMap;

/// Compressed sparse rows: row `r`'s columns are `columns[starts[r]..starts[r + 1]]`, ascending,
/// each with its value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sparse {
    pub starts: Vec<usize>,
    pub columns: Vec<u32>,
    pub values: Vec<f32>,
}

impl Sparse {
    pub fn rows(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn row(&self, row: usize) -> (&[u32], &[f32]) {
        let range = self.starts[row]..self.starts[row + 1];
        (&self.columns[range.clone()], &self.values[range])
    }

    /// Builds from `(row, column, value)` triples; a repeated cell sums its values.
    fn from_triples(rows: usize, mut triples: Vec<(u32, u32, f32)>) -> Sparse {
        triples.sort_unstable_by_key(|&(row, column, _)| (row, column));
        let mut sparse = Sparse { starts: vec![0; rows + 1], columns: Vec::new(), values: Vec::new() };
        let mut last: Option<(u32, u32)> = None;
        for (row, column, value) in triples {
            if last == Some((row, column)) {
                if let Some(sum) = sparse.values.last_mut() {
                    *sum += value;
                }
                continue;
            }
            last = Some((row, column));
            sparse.columns.push(column);
            sparse.values.push(value);
            sparse.starts[row as usize + 1] += 1;
        }
        for row in 0..rows {
            sparse.starts[row + 1] += sparse.starts[row];
        }
        sparse
    }

    /// The same matrix by columns.
    fn transpose(&self, columns: usize) -> Sparse {
        let mut counts = vec![0usize; columns + 1];
        for &column in &self.columns {
            counts[column as usize + 1] += 1;
        }
        for column in 0..columns {
            counts[column + 1] += counts[column];
        }
        let starts = counts.clone();
        let mut next = counts;
        let mut transposed_columns = vec![0u32; self.columns.len()];
        let mut values = vec![0f32; self.values.len()];
        for row in 0..self.rows() {
            let (row_columns, row_values) = self.row(row);
            for (&column, &value) in row_columns.iter().zip(row_values) {
                let at = next[column as usize];
                transposed_columns[at] = row as u32;
                values[at] = value;
                next[column as usize] += 1;
            }
        }
        Sparse { starts, columns: transposed_columns, values }
    }
}

/// Play counts of users × items, with the names of both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plays {
    pub users: Vec<String>,
    pub items: Vec<String>,
    /// Row per user, a column per item.
    pub by_user: Sparse,
    /// Row per item, a column per user.
    pub by_item: Sparse,
}

impl Plays {
    /// Builds from `(user, item, plays)`; repeated pairs add up, pairs with no plays are left out.
    /// Users and items are numbered in their order of first appearance.
    pub fn from_counts<U, I>(counts: impl IntoIterator<Item = (U, I, f32)>) -> Plays
    where
        U: AsRef<str>,
        I: AsRef<str>,
    {
        let mut builder = PlaysBuilder::default();
        for (user, item, plays) in counts {
            builder.add(user.as_ref(), item.as_ref(), plays);
        }
        builder.build()
    }

    pub fn nonzeros(&self) -> usize {
        self.by_user.values.len()
    }

    pub fn user_index(&self, user: &str) -> Option<usize> {
        self.users.iter().position(|name| name == user)
    }

    pub fn item_index(&self) -> HashMap<&str, usize> {
        self.items.iter().enumerate().map(|(index, item)| (item.as_str(), index)).collect()
    }

    /// Plays of each item over all users: the popularity baseline's score.
    pub fn item_totals(&self) -> Vec<f32> {
        (0..self.by_item.rows()).map(|item| self.by_item.row(item).1.iter().sum()).collect()
    }
}

/// Collects counts one at a time (a reader's rows), numbering names as they come.
#[derive(Debug, Default)]
pub struct PlaysBuilder {
    users: Vec<String>,
    items: Vec<String>,
    user_numbers: HashMap<String, u32>,
    item_numbers: HashMap<String, u32>,
    triples: Vec<(u32, u32, f32)>,
}

impl PlaysBuilder {
    pub fn add(&mut self, user: &str, item: &str, plays: f32) {
        if plays.is_nan() || plays <= 0.0 {
            return;
        }
        let user = number(&mut self.user_numbers, &mut self.users, user);
        let item = number(&mut self.item_numbers, &mut self.items, item);
        self.triples.push((user, item, plays));
    }

    /// Makes sure an item has a column even with no plays (a catalog song nobody played yet).
    pub fn add_item(&mut self, item: &str) {
        number(&mut self.item_numbers, &mut self.items, item);
    }

    pub fn build(self) -> Plays {
        let by_user = Sparse::from_triples(self.users.len(), self.triples);
        let by_item = by_user.transpose(self.items.len());
        Plays { users: self.users, items: self.items, by_user, by_item }
    }
}

fn number(numbers: &mut HashMap<String, u32>, names: &mut Vec<String>, name: &str) -> u32 {
    if let Some(&number) = numbers.get(name) {
        return number;
    }
    let number = names.len() as u32;
    numbers.insert(name.to_string(), number);
    names.push(name.to_string());
    number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_pairs_add_up_and_both_orientations_agree() {
        let plays = Plays::from_counts([("ann", "a", 1.0), ("bo", "b", 2.0), ("ann", "a", 2.0), ("bo", "a", 1.0)]);
        assert_eq!(plays.users, ["ann", "bo"]);
        assert_eq!(plays.items, ["a", "b"]);
        assert_eq!(plays.by_user.row(0), (&[0u32][..], &[3.0f32][..]));
        assert_eq!(plays.by_user.row(1), (&[0u32, 1][..], &[1.0f32, 2.0][..]));
        assert_eq!(plays.by_item.row(0), (&[0u32, 1][..], &[3.0f32, 1.0][..]));
        assert_eq!(plays.by_item.row(1), (&[1u32][..], &[2.0f32][..]));
        assert_eq!(plays.item_totals(), [4.0, 2.0]);
    }

    #[test]
    fn items_without_plays_keep_an_empty_column() {
        let mut builder = PlaysBuilder::default();
        builder.add("ann", "a", 1.0);
        builder.add("ann", "zero", 0.0);
        builder.add_item("cold");
        let plays = builder.build();
        assert_eq!(plays.items, ["a", "cold"]);
        assert_eq!(plays.by_item.rows(), 2);
        assert_eq!(plays.by_item.row(1).0.len(), 0);
    }
}
