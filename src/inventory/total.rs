//! Float sums that start at +0.0, for the quantities read into the inventory and derived from
//! it (usage, sizes, costs, effort). Rust's `Sum` for floats starts at -0.0 (addition's IEEE
//! neutral element), so an empty sum is -0.0, which reports print as "-0 h" and evidence as
//! `-0.0`.

/// The sum of an iterator of floats, +0.0 when it is empty.
pub trait Total<T> {
    fn total(self) -> T;
}

impl<I: Iterator<Item = f32>> Total<f32> for I {
    fn total(self) -> f32 {
        self.fold(0.0, |a, b| a + b)
    }
}

impl<I: Iterator<Item = f64>> Total<f64> for I {
    fn total(self) -> f64 {
        self.fold(0.0, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::Total;

    #[test]
    fn an_empty_total_is_positive_zero_where_sum_is_negative() {
        let none: [f32; 0] = [];
        assert!(none.iter().copied().sum::<f32>().is_sign_negative());
        assert!(none.iter().copied().total().is_sign_positive());
        assert_eq!(format!("{:.0}", std::iter::empty::<f64>().total()), "0");
        assert_eq!([1.5f64, 2.0].into_iter().total(), 3.5);
    }
}
