//! Implicit-feedback alternating least squares (Hu, Koren & Volinsky 2008, "Collaborative
//! Filtering for Implicit Feedback Datasets").
//!
//! A play count `r` says the user likes the item with confidence `c = 1 + α·r`; every pair has
//! the preference `p = 1` where `r > 0` and `0` elsewhere. User factors `x_u` and item factors
//! `y_i` minimise
//!
//! ```text
//! Σ_u Σ_i c_ui (p_ui − x_uᵀ y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)
//! ```
//!
//! over every pair, played or not. Holding the items fixed, each user's factors solve
//! `(YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u`, where only the user's played items enter the
//! sums beside `YᵀY`, which is shared by all users. As in the `implicit` library (Takács, Pilászy
//! & Tikk 2011), the system is not solved exactly but by a few conjugate-gradient steps started
//! from the previous iteration's factors; then the items are solved the same way from the users.
//!
//! Users are solved in parallel (each depends only on the fixed side and its own previous
//! factors), so a seed gives the same factors on any number of threads.
//!
//! One difference from `implicit`: its `fit` takes the confidence itself (its `alpha` times the
//! matrix it is given), where Encore follows the paper's `1 + α·r`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array2, ArrayView1, ArrayView2, ArrayViewMut2, Axis};
use serde::{Deserialize, Serialize};

use crate::matrix::{Plays, Sparse};

/// The model's knobs, with `implicit`'s names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlsConfig {
    pub factors: usize,
    /// λ, added to the diagonal of every solve.
    pub regularization: f32,
    /// α in the confidence `1 + α·r`.
    pub alpha: f32,
    pub iterations: usize,
    /// Conjugate-gradient steps per solve (3 in `implicit`).
    pub cg_steps: usize,
    pub seed: u64,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
}

impl Default for AlsConfig {
    fn default() -> AlsConfig {
        AlsConfig { factors: 64, regularization: 0.05, alpha: 10.0, iterations: 15, cg_steps: 3, seed: 42, threads: 0 }
    }
}

impl AlsConfig {
    fn threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |cores| cores.get())
        }
    }
}

/// The fitted factors: a row per user and a row per item, in the order of [`Plays`].
#[derive(Debug, Clone, PartialEq)]
pub struct Factors {
    pub users: Array2<f32>,
    pub items: Array2<f32>,
}

/// What one iteration took, for progress bars and the bench.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iteration {
    /// 1-based.
    pub number: usize,
    pub seconds: f64,
}

/// Fits the model: factors drawn uniformly from `[0, 0.01)` by the seed, as `implicit` starts,
/// then `config.iterations` rounds of users from items and items from users.
pub fn fit(plays: &Plays, config: &AlsConfig, mut on_iteration: impl FnMut(Iteration)) -> Factors {
    let mut random = SplitMix64(config.seed);
    let mut factors = Factors {
        users: initial(plays.users.len(), config.factors, &mut random),
        items: initial(plays.items.len(), config.factors, &mut random),
    };
    for number in 1..=config.iterations {
        let started = Instant::now();
        solve_side(&mut factors.users, &factors.items, &plays.by_user, config);
        solve_side(&mut factors.items, &factors.users, &plays.by_item, config);
        on_iteration(Iteration { number, seconds: started.elapsed().as_secs_f64() });
    }
    factors
}

fn initial(rows: usize, factors: usize, random: &mut SplitMix64) -> Array2<f32> {
    Array2::from_shape_simple_fn((rows, factors), || (random.next_f64() * 0.01) as f32)
}

/// Users solved per task handed to a thread.
const CHUNK: usize = 256;

/// Rows whose conjugate-gradient steps go together: their products with the Gram matrix are one
/// matrix product, and their played rows of the fixed side stay in the CPU's cache between steps.
const BLOCK: usize = 8;

/// Solves every row of `target` (users, or items) from the `fixed` side's factors and the
/// target's rows of the play matrix.
pub fn solve_side(target: &mut Array2<f32>, fixed: &Array2<f32>, matrix: &Sparse, config: &AlsConfig) {
    let threads = config.threads();
    let mut gram = gram(fixed.view(), threads);
    gram.diag_mut().mapv_inplace(|value| value + config.regularization);
    let fixed = fixed.as_standard_layout();
    let Some(fixed_rows) = fixed.as_slice() else { return };
    let factors = fixed.ncols();
    let chunks: Vec<Mutex<(usize, ArrayViewMut2<f32>)>> = target
        .axis_chunks_iter_mut(Axis(0), CHUNK)
        .enumerate()
        .map(|(index, rows)| Mutex::new((index * CHUNK, rows)))
        .collect();
    let next = AtomicUsize::new(0);
    let solver = Solver { gram: gram.view(), fixed: fixed_rows, factors, alpha: config.alpha, steps: config.cg_steps };
    std::thread::scope(|scope| {
        for _ in 0..threads.min(chunks.len()).max(1) {
            scope.spawn(|| {
                let mut scratch = Scratch::new(BLOCK, factors);
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(index) else { break };
                    let Ok(mut chunk) = chunk.lock() else { break };
                    let (first, rows) = &mut *chunk;
                    for (block, rows) in rows.axis_chunks_iter_mut(Axis(0), BLOCK).enumerate() {
                        solver.solve(*first + block * BLOCK, rows, matrix, &mut scratch);
                    }
                }
            });
        }
    });
}

/// `FᵀF` of the fixed side's factors, from blocks of rows computed on every thread and summed in
/// block order, so that the sum is the same whatever the number of threads.
fn gram(fixed: ArrayView2<f32>, threads: usize) -> Array2<f32> {
    const BLOCK: usize = 8_192;
    let factors = fixed.ncols();
    let blocks: Vec<ArrayView2<f32>> = fixed.axis_chunks_iter(Axis(0), BLOCK).collect();
    let partials: Vec<Mutex<Option<Array2<f32>>>> = blocks.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(blocks.len()).max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(block) = blocks.get(index) else { break };
                let product = block.t().dot(block);
                if let Ok(mut partial) = partials[index].lock() {
                    *partial = Some(product);
                }
            });
        }
    });
    let mut sum = Array2::zeros((factors, factors));
    for partial in partials {
        if let Ok(Some(product)) = partial.into_inner() {
            sum += &product;
        }
    }
    sum
}

/// A thread's working matrices for a block of rows (a row of each per row solved).
struct Scratch {
    residual: Array2<f32>,
    direction: Array2<f32>,
    product: Array2<f32>,
}

impl Scratch {
    fn new(rows: usize, factors: usize) -> Scratch {
        Scratch {
            residual: Array2::zeros((rows, factors)),
            direction: Array2::zeros((rows, factors)),
            product: Array2::zeros((rows, factors)),
        }
    }
}

struct Solver<'a> {
    /// `FᵀF + λI`.
    gram: ArrayView2<'a, f32>,
    /// The fixed side's factors, row after row.
    fixed: &'a [f32],
    factors: usize,
    alpha: f32,
    steps: usize,
}

impl Solver<'_> {
    /// [`Solver::solve_block`], compiled a second time for AVX2 and FMA and chosen at run time
    /// when the CPU has them, so that one binary runs anywhere and uses the wide registers where
    /// they exist.
    fn solve(&self, first: usize, x: ArrayViewMut2<f32>, matrix: &Sparse, scratch: &mut Scratch) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU was just found to support both features the function is compiled for.
            return unsafe { self.solve_block_wide(first, x, matrix, scratch) };
        }
        self.solve_block(first, x, matrix, scratch);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn solve_block_wide(&self, first: usize, x: ArrayViewMut2<f32>, matrix: &Sparse, scratch: &mut Scratch) {
        self.solve_block(first, x, matrix, scratch);
    }

    #[inline(always)]
    fn fixed_row(&self, index: u32) -> ArrayView1<'_, f32> {
        let start = index as usize * self.factors;
        ArrayView1::from(&self.fixed[start..start + self.factors])
    }

    /// A few conjugate-gradient steps on `A x = b` for each row of the block, with
    /// `A = FᵀF + λI + Σ (c − 1) f fᵀ` and `b = Σ c f` over the row's played columns, from `x`
    /// as it is; `first` is the block's first row in `matrix`. Each row's steps are its own (a
    /// row whose residual vanished stops), but the products with `FᵀF + λI` of the whole block
    /// are one matrix product per step, which runs on the CPU's widest vector instructions.
    #[inline(always)]
    fn solve_block(&self, first: usize, mut x: ArrayViewMut2<f32>, matrix: &Sparse, scratch: &mut Scratch) {
        let rows = x.nrows();
        let residual = &mut scratch.residual.slice_mut(s![..rows, ..]);
        let direction = &mut scratch.direction.slice_mut(s![..rows, ..]);
        let product = &mut scratch.product.slice_mut(s![..rows, ..]);
        // R = B − A X
        general_mat_mul(-1.0, &x, &self.gram, 0.0, residual);
        for (row, mut residual) in residual.rows_mut().into_iter().enumerate() {
            let (columns, plays) = matrix.row(first + row);
            let x = x.row(row);
            for (&column, &count) in columns.iter().zip(plays) {
                let confidence = 1.0 + self.alpha * count;
                let fixed = self.fixed_row(column);
                residual.scaled_add(confidence - (confidence - 1.0) * dot(fixed, x.view()), &fixed);
            }
        }
        direction.assign(residual);
        let mut old: Vec<f32> = residual.rows().into_iter().map(|row| dot(row, row)).collect();
        let mut active: Vec<bool> = old.iter().map(|&norm| norm >= 1e-20).collect();
        for _ in 0..self.steps {
            if !active.contains(&true) {
                break;
            }
            // A P
            general_mat_mul(1.0, direction, &self.gram, 0.0, product);
            for row in 0..rows {
                if !active[row] {
                    continue;
                }
                let (columns, plays) = matrix.row(first + row);
                let p = direction.row(row);
                let mut ap = product.row_mut(row);
                for (&column, &count) in columns.iter().zip(plays) {
                    let fixed = self.fixed_row(column);
                    ap.scaled_add(self.alpha * count * dot(fixed, p), &fixed);
                }
                let step = old[row] / dot(p, ap.view());
                x.row_mut(row).scaled_add(step, &p);
                let mut r = residual.row_mut(row);
                r.scaled_add(-step, &ap);
                let new = dot(r.view(), r.view());
                if new < 1e-20 {
                    active[row] = false;
                    continue;
                }
                let keep = new / old[row];
                direction.row_mut(row).zip_mut_with(&r, |p, &r| *p = r + keep * *p);
                old[row] = new;
            }
        }
    }
}

/// Lanes of [`dot`]'s partial sums: two AVX registers of `f32`.
const LANES: usize = 16;

/// `a · b`, in [`LANES`] partial sums. ndarray's own dot product is not inlined into the solver,
/// so it runs on the instructions every x86-64 CPU has even where the solver was chosen for AVX2
/// and FMA; this one is, and is vectorised as widely as the code it is inlined into (it was over
/// half of an iteration's time at 128 factors). Views that are not contiguous take ndarray's.
#[inline(always)]
fn dot(a: ArrayView1<'_, f32>, b: ArrayView1<'_, f32>) -> f32 {
    let (Some(a), Some(b)) = (a.as_slice(), b.as_slice()) else { return a.dot(&b) };
    let mut sums = [0.0f32; LANES];
    let (a_runs, b_runs) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = a_runs.remainder().iter().zip(b_runs.remainder()).map(|(x, y)| x * y).sum();
    for (a_run, b_run) in a_runs.zip(b_runs) {
        for ((sum, x), y) in sums.iter_mut().zip(a_run).zip(b_run) {
            *sum += x * y;
        }
    }
    sums.iter().sum::<f32>() + tail
}

/// The objective above, over every pair, divided by the total confidence plus the unplayed pairs
/// (as `implicit` reports its training loss).
pub fn loss(plays: &Plays, factors: &Factors, config: &AlsConfig) -> f64 {
    let gram = gram(factors.items.view(), config.threads());
    let mut total = 0.0f64;
    let mut weight = 0.0f64;
    for (user, x) in factors.users.outer_iter().enumerate() {
        // Σ_i (xᵀy_i)² over all items, then corrected on the played ones.
        total += f64::from(x.dot(&gram.dot(&x)));
        let (columns, counts) = plays.by_user.row(user);
        for (&column, &count) in columns.iter().zip(counts) {
            let confidence = f64::from(1.0 + config.alpha * count);
            let score = f64::from(x.dot(&factors.items.row(column as usize)));
            total += confidence * (1.0 - score).powi(2) - score * score;
            weight += confidence - 1.0;
        }
    }
    let squares = |matrix: &Array2<f32>| matrix.iter().map(|value| f64::from(value * value)).sum::<f64>();
    total += f64::from(config.regularization) * (squares(&factors.users) + squares(&factors.items));
    weight += (plays.users.len() * plays.items.len()) as f64;
    total / weight.max(1.0)
}

/// The seeded generator behind the initial factors (SplitMix64: small, and the same on every
/// platform).
pub(crate) struct SplitMix64(pub u64);

impl SplitMix64 {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array1;

    #[test]
    fn the_solvers_dot_product_is_ndarrays_for_every_length_and_layout() {
        for length in [0, 1, 15, 16, 17, 64, 100, 128] {
            let a = Array1::from_iter((0..length).map(|index| (index as f32 * 0.37).sin()));
            let b = Array1::from_iter((0..length).map(|index| (index as f32 * 0.11).cos() - 0.5));
            let expected = a.dot(&b);
            let tolerance = 1e-5 * (1.0 + expected.abs());
            assert!((dot(a.view(), b.view()) - expected).abs() <= tolerance, "length {length}");
        }
        // A column of a row-major matrix is not contiguous: ndarray's own product is taken.
        let matrix = Array2::from_shape_fn((20, 3), |(row, column)| (row * 3 + column) as f32);
        let column = matrix.column(1);
        assert_eq!(dot(column, column), column.dot(&column));
    }

    /// `(FᵀC F + λI) x = FᵀC p` for one row, built densely and solved by Gaussian elimination
    /// in f64: the closed form the conjugate-gradient solve must reach.
    fn closed_form(fixed: &Array2<f32>, row: &[(u32, f32)], config: &AlsConfig) -> Vec<f64> {
        let (items, factors) = fixed.dim();
        let mut system = vec![vec![0.0f64; factors + 1]; factors];
        for item in 0..items {
            let count = row.iter().find(|(column, _)| *column as usize == item).map_or(0.0, |(_, count)| *count);
            let confidence = 1.0 + f64::from(config.alpha) * f64::from(count);
            let preference = if count > 0.0 { 1.0 } else { 0.0 };
            for a in 0..factors {
                let fa = f64::from(fixed[[item, a]]);
                for b in 0..factors {
                    system[a][b] += confidence * fa * f64::from(fixed[[item, b]]);
                }
                system[a][factors] += confidence * preference * fa;
            }
        }
        for (a, equation) in system.iter_mut().enumerate() {
            equation[a] += f64::from(config.regularization);
        }
        for pivot in 0..factors {
            let best = (pivot..factors)
                .max_by(|&a, &b| system[a][pivot].abs().total_cmp(&system[b][pivot].abs()))
                .unwrap_or(pivot);
            system.swap(pivot, best);
            let lead = system[pivot].clone();
            for (other, equation) in system.iter_mut().enumerate() {
                if other != pivot {
                    let ratio = equation[pivot] / lead[pivot];
                    for column in pivot..=factors {
                        equation[column] -= ratio * lead[column];
                    }
                }
            }
        }
        (0..factors).map(|a| system[a][factors] / system[a][a]).collect()
    }

    fn tiny() -> (Plays, Array2<f32>) {
        let plays = Plays::from_counts([
            ("u0", "i0", 3.0),
            ("u0", "i2", 1.0),
            ("u1", "i1", 5.0),
            ("u1", "i3", 2.0),
            ("u1", "i4", 1.0),
            ("u2", "i0", 1.0),
            ("u2", "i1", 1.0),
            ("u2", "i2", 4.0),
            ("u2", "i3", 1.0),
        ]);
        let mut random = SplitMix64(7);
        let items = Array2::from_shape_simple_fn((5, 3), || (random.next_f64() - 0.3) as f32);
        (plays, items)
    }

    #[test]
    fn conjugate_gradient_reaches_the_closed_form_solution() {
        let (plays, items) = tiny();
        // With as many steps as factors, conjugate gradient is exact up to rounding.
        let config =
            AlsConfig { factors: 3, regularization: 0.1, alpha: 2.0, cg_steps: 3, threads: 2, ..AlsConfig::default() };
        let mut users = Array2::zeros((3, 3));
        solve_side(&mut users, &items, &plays.by_user, &config);
        for user in 0..3 {
            let (columns, counts) = plays.by_user.row(user);
            let row: Vec<(u32, f32)> = columns.iter().copied().zip(counts.iter().copied()).collect();
            let expected = closed_form(&items, &row, &config);
            for (factor, want) in expected.iter().enumerate() {
                let got = f64::from(users[[user, factor]]);
                assert!((got - want).abs() < 1e-4, "user {user} factor {factor}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn fewer_steps_from_a_good_start_stay_near_the_solution() {
        let (plays, items) = tiny();
        let config =
            AlsConfig { factors: 3, regularization: 0.1, alpha: 2.0, cg_steps: 2, threads: 1, ..AlsConfig::default() };
        let mut users = Array2::zeros((3, 3));
        for _ in 0..30 {
            solve_side(&mut users, &items, &plays.by_user, &config);
        }
        let (columns, counts) = plays.by_user.row(2);
        let row: Vec<(u32, f32)> = columns.iter().copied().zip(counts.iter().copied()).collect();
        let expected = closed_form(&items, &row, &config);
        for (factor, want) in expected.iter().enumerate() {
            assert!((f64::from(users[[2, factor]]) - want).abs() < 1e-3);
        }
    }

    #[test]
    fn the_loss_falls_and_a_seed_gives_the_same_factors_on_any_thread_count() {
        let (plays, _) = tiny();
        let config = AlsConfig { factors: 2, iterations: 1, threads: 1, ..AlsConfig::default() };
        let mut losses = Vec::new();
        for iterations in [1, 3, 10] {
            let factors = fit(&plays, &AlsConfig { iterations, ..config.clone() }, |_| {});
            losses.push(loss(&plays, &factors, &config));
        }
        assert!(losses.windows(2).all(|pair| pair[1] <= pair[0] + 1e-9), "{losses:?}");
        let one = fit(&plays, &AlsConfig { iterations: 5, threads: 1, ..config.clone() }, |_| {});
        let four = fit(&plays, &AlsConfig { iterations: 5, threads: 4, ..config.clone() }, |_| {});
        assert_eq!(one, four);
        let other_seed = fit(&plays, &AlsConfig { iterations: 5, seed: 1, ..config }, |_| {});
        assert_ne!(one, other_seed);
    }

    #[test]
    fn played_items_score_above_unplayed_ones() {
        let (plays, _) = tiny();
        let config = AlsConfig { factors: 3, iterations: 15, alpha: 5.0, ..AlsConfig::default() };
        let factors = fit(&plays, &config, |_| {});
        let scores = factors.users.dot(&factors.items.t());
        let items = plays.item_index();
        // u1 played i1 five times and never i0; u0 played i0 three times.
        assert!(scores[[1, items["i1"]]] > scores[[1, items["i0"]]] + 0.3, "{scores}");
        assert!(scores[[0, items["i0"]]] > 0.6, "{scores}");
    }
}
