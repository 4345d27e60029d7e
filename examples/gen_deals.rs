//! Deterministic, realistic deals for benchmarks: a few big customers and a
//! long tail of small orders (log-normal amounts around a per-customer
//! scale), some credit notes, Swedish names (some quoted because they hold
//! a comma), ISO dates over three years.
//!
//!     cargo run --release --example gen_deals -- --rows 10000000 > deals_10m.csv
//!
//! Same --rows and --seed give byte-identical output.

use std::io::{BufWriter, Write};

/// splitmix64: small, fast, and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A standard normal by Box-Muller.
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit().max(1e-12), self.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const PREFIX: [&str; 16] = [
    "Berg", "Fisk", "Is", "Trä", "Räk", "Mekan", "Data", "Bygg", "Älv", "Fjäll", "Sjö", "Skog", "Malm", "Norr", "Öst",
    "Väst",
];
const SUFFIX: [&str; 8] = [
    "gruppen AB",
    "konsult AB",
    "partner AB",
    "design HB",
    "system AB",
    "industri Aktiebolag",
    "service AB",
    "teknik HB",
];
const FIRST: [&str; 12] =
    ["Anna", "Erik", "Maja", "Björn", "Lena", "Johan", "Karin", "Per", "Åsa", "Oskar", "Elin", "Göran"];
const LAST: [&str; 8] = ["Berg", "Karlsson", "Lindström", "Holm", "Nilsson", "Öberg", "Svensson", "Eriksson"];

const USAGE: &str = "\
Write deterministic, realistic deals as CSV (date,customer,seller,amount) on standard output.

Usage: cargo run --release --example gen_deals -- [OPTIONS] > deals.csv

Options:
  --rows N       deals to write (default: 10000)
  --seed N       seed of the generator; the same --rows and --seed give the same bytes (default: 1)
  --customers N  distinct customers (default: rows / 50, between 10 and 50000)
  --sellers N    distinct sellers (default: 20)
  -h, --help     print this help";

const OPTIONS: [&str; 4] = ["--rows", "--seed", "--customers", "--sellers"];

/// Check the command line: `--help` prints the usage; an unknown option or
/// a value that is not a whole number is an error (exit status 2).
fn check(args: &[String]) {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        std::process::exit(0);
    }
    let mut i = 1;
    while i < args.len() {
        let ok = OPTIONS.contains(&args[i].as_str()) && args.get(i + 1).is_some_and(|v| v.parse::<u64>().is_ok());
        if !ok {
            eprintln!("gen_deals: cannot use {:?} here; see --help", args[i]);
            std::process::exit(2);
        }
        i += 2;
    }
}

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The civil date `days` after 2012-01-01.
fn date(days: u64) -> (i64, u64, u64) {
    let z = 15340 + days as i64 + 719468; // 2012-01-01 is day 15340 since 1970
    let era = z.div_euclid(146097);
    let doe = (z - era * 146097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe as i64 + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    check(&args);
    let rows = arg(&args, "--rows", 10_000);
    let mut rng = Rng(arg(&args, "--seed", 1));
    let customers = arg(&args, "--customers", (rows / 50).clamp(10, 50_000));
    let sellers = arg(&args, "--sellers", 20);

    let names: Vec<String> = (0..customers)
        .map(|i| {
            let p = PREFIX[(i % 16) as usize];
            let s = SUFFIX[((i / 16) % 8) as usize];
            let n = i / 128;
            match (n, i % 41) {
                (_, 0) => format!("\"{p}, {} & Co AB\"", LAST[(i % 8) as usize]),
                (0, _) => format!("{p}{s}"),
                (n, _) => format!("{p}{s} {n}"),
            }
        })
        .collect();
    // A log-normal scale per customer: a few big ones, a long tail.
    let scale: Vec<f64> = (0..customers).map(|_| (6.5 + 1.2 * rng.normal()).exp()).collect();
    let seller_of: Vec<u64> = (0..customers).map(|_| rng.below(sellers)).collect();
    let seller_names: Vec<String> =
        (0..sellers).map(|i| format!("{} {}", FIRST[(i % 12) as usize], LAST[((i / 12 + i) % 8) as usize])).collect();

    let out = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, out.lock());
    writeln!(w, "date,customer,seller,amount")?;
    for _ in 0..rows {
        // Skewed towards big customers ordering more often.
        let c = (rng.unit().powf(1.6) * customers as f64) as usize;
        let (y, m, d) = date(rng.below(1096));
        let mut amount = scale[c] * (0.6 * rng.normal()).exp();
        if rng.below(100) == 0 {
            amount = -amount / 3.0; // a credit note
        }
        let cents = (amount * 100.0).round() as i64;
        let seller = if rng.below(10) == 0 { rng.below(sellers) } else { seller_of[c] } as usize;
        let sign = if cents < 0 { "-" } else { "" };
        let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
        if frac == 0 && rng.below(2) == 0 {
            writeln!(w, "{y:04}-{m:02}-{d:02},{},{},{sign}{whole}", names[c], seller_names[seller])?;
        } else {
            writeln!(w, "{y:04}-{m:02}-{d:02},{},{},{sign}{whole}.{frac:02}", names[c], seller_names[seller])?;
        }
    }
    w.flush()
}
