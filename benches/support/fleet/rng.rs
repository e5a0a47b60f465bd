//! The generator's random numbers (splitmix64), alphabets and byte-writing helpers.

// ---------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------

/// splitmix64: tiny, fast, and good enough for synthetic logs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose whole output is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    pub(crate) fn hex(&mut self, n: usize) -> String {
        self.chars(n, b"0123456789abcdef")
    }

    pub(crate) fn chars(&mut self, n: usize, alphabet: &[u8]) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len() as u64) as usize] as char)
            .collect()
    }

    pub(crate) fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-{}{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            *self.pick(&['8', '9', 'a', 'b']),
            self.hex(3),
            self.hex(12)
        )
    }

    pub(crate) fn digits(&mut self, n: usize) -> String {
        let mut s = self.chars(n, b"0123456789");
        if s.starts_with('0') {
            s.replace_range(0..1, "7");
        }
        s
    }
}

pub(crate) const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub(crate) const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub(crate) const UPPER32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// ---------------------------------------------------------------------------------------
// Formatting into byte buffers
// ---------------------------------------------------------------------------------------

pub(crate) trait Put {
    fn s(&mut self, s: &str) -> &mut Self;
    fn n(&mut self, n: u64) -> &mut Self;
    fn nl(&mut self) -> &mut Self;
    /// `n` zero-padded to `width` digits.
    fn z(&mut self, n: u64, width: usize) -> &mut Self;
    /// Milliseconds as seconds with three decimals: `84` -> `0.084`.
    fn secs3(&mut self, ms: u64) -> &mut Self;
}

impl Put for Vec<u8> {
    #[inline]
    fn s(&mut self, s: &str) -> &mut Self {
        self.extend_from_slice(s.as_bytes());
        self
    }

    #[inline]
    fn n(&mut self, mut n: u64) -> &mut Self {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.extend_from_slice(&tmp[i..]);
        self
    }

    #[inline]
    fn nl(&mut self) -> &mut Self {
        self.push(b'\n');
        self
    }

    #[inline]
    fn z(&mut self, n: u64, width: usize) -> &mut Self {
        let mut tmp = [b'0'; 20];
        let mut i = tmp.len();
        let mut m = n;
        while m > 0 {
            i -= 1;
            tmp[i] = b'0' + (m % 10) as u8;
            m /= 10;
        }
        let start = i.min(tmp.len() - width);
        self.extend_from_slice(&tmp[start..]);
        self
    }

    fn secs3(&mut self, ms: u64) -> &mut Self {
        self.n(ms / 1000).s(".").z(ms % 1000, 3)
    }
}
