//! The generator's source of chance: a small seeded generator (SplitMix64), so the same seed
//! gives the same dataset on every machine and with every version of the `rand` crate.

/// A seeded stream of random numbers. Each case gets its own (from the seed and its index),
/// so a case's history does not depend on how many numbers the cases before it drew.
#[derive(Clone, Debug)]
pub struct Dice {
    state: u64,
}

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice { state: seed }
    }

    /// An independent stream for one item (`stream`) of one seed.
    pub fn for_item(seed: u64, stream: u64) -> Dice {
        let mut dice = Dice::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        dice.next_u64();
        dice
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 32) * n as u64 >> 32) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as usize) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A duration in seconds drawn around `mean` (exponential), at least `floor`.
    pub fn wait_secs(&mut self, mean: f64, floor: i64) -> i64 {
        let u = self.unit().max(1e-9);
        ((-u.ln() * mean) as i64).max(floor)
    }
}

#[cfg(test)]
mod tests {
    use super::Dice;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut d = Dice::for_item(42, 7);
                move |_| d.next_u64()
            })
            .collect();
        let mut d = Dice::for_item(42, 7);
        assert_eq!(a, (0..5).map(|_| d.next_u64()).collect::<Vec<_>>());
        let mut other = Dice::for_item(42, 8);
        assert_ne!(a[0], other.next_u64());
    }

    #[test]
    fn draws_stay_in_their_ranges() {
        let mut d = Dice::new(1);
        for _ in 0..10_000 {
            assert!(d.below(7) < 7);
            let b = d.between(5, 26);
            assert!((5..=26).contains(&b));
            let u = d.unit();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
