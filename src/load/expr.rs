//! An amount made from other columns: `Quantity*UnitPrice`,
//! `price+freight_value`, `Total-Shipping`.
//!
//! Exports of order lines often have no amount column, only a quantity and
//! a unit price; others split the price and the freight. `--amount EXPR`
//! (and the recognition of a quantity and a unit-price column) give the
//! amount as sums, differences and products of columns and decimal
//! constants, computed exactly in `Decimal`: never a float.

use rust_decimal::Decimal;

/// An amount expression, its columns resolved to indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Column(usize),
    Constant(Decimal),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
}

/// Why a value of an expression cannot be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError<E> {
    /// Column `usize` could not be read.
    Column(usize, E),
    /// The result does not fit in an exact decimal.
    Overflow,
}

impl Expr {
    /// Parse `text`, naming columns by their headers (compared as
    /// `columns::normalize` compares them; a header with spaces or
    /// operators is written in double quotes: `"Unit Price"*Qty`).
    pub fn parse(text: &str, headers: &[String]) -> Result<Expr, String> {
        let tokens = tokens(text)?;
        if tokens.is_empty() {
            return Err(
                "--amount is empty; give columns and constants joined by + - *, e.g. 'Quantity*UnitPrice'".into()
            );
        }
        let mut p = Parser { tokens, at: 0, headers };
        let e = p.sum()?;
        if p.at < p.tokens.len() {
            return Err(format!("--amount '{text}': unexpected {} ", p.tokens[p.at].describe()));
        }
        Ok(e)
    }

    /// The columns used, in order of appearance.
    pub fn columns(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.walk(&mut out);
        out
    }

    fn walk(&self, out: &mut Vec<usize>) {
        match self {
            Expr::Column(i) => {
                if !out.contains(i) {
                    out.push(*i)
                }
            }
            Expr::Constant(_) => {}
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) => {
                a.walk(out);
                b.walk(out);
            }
            Expr::Neg(a) => a.walk(out),
        }
    }

    /// The value for one row; `column` reads a column's amount.
    pub fn eval<E>(&self, column: &mut dyn FnMut(usize) -> Result<Decimal, E>) -> Result<Decimal, EvalError<E>> {
        Ok(match self {
            Expr::Column(i) => column(*i).map_err(|e| EvalError::Column(*i, e))?,
            Expr::Constant(d) => *d,
            Expr::Add(a, b) => {
                crate::model::money::exact_add(a.eval(column)?, b.eval(column)?).ok_or(EvalError::Overflow)?
            }
            Expr::Sub(a, b) => {
                crate::model::money::exact_add(a.eval(column)?, -b.eval(column)?).ok_or(EvalError::Overflow)?
            }
            Expr::Mul(a, b) => {
                crate::model::money::exact_mul(a.eval(column)?, b.eval(column)?).ok_or(EvalError::Overflow)?
            }
            Expr::Neg(a) => -a.eval(column)?,
        })
    }

    /// The expression written back with the headers.
    pub fn display(&self, headers: &[String]) -> String {
        let name = |i: usize| {
            let h = headers.get(i).map_or("?", |h| h.trim());
            if h.chars().all(|c| c.is_alphanumeric() || c == '_') { h.to_string() } else { format!("\"{h}\"") }
        };
        match self {
            Expr::Column(i) => name(*i),
            Expr::Constant(d) => d.to_string(),
            Expr::Add(a, b) => format!("{} + {}", a.display(headers), b.display(headers)),
            Expr::Sub(a, b) => format!("{} - {}", a.display(headers), b.factor_display(headers)),
            Expr::Mul(a, b) => format!("{} x {}", a.factor_display(headers), b.factor_display(headers)),
            Expr::Neg(a) => format!("-{}", a.factor_display(headers)),
        }
    }

    fn factor_display(&self, headers: &[String]) -> String {
        match self {
            Expr::Add(..) | Expr::Sub(..) => format!("({})", self.display(headers)),
            _ => self.display(headers),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Name(String),
    Number(Decimal),
    Op(char),
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Name(n) => format!("\"{n}\""),
            Token::Number(d) => d.to_string(),
            Token::Op(c) => format!("'{c}'"),
        }
    }
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '+' | '-' | '*' | '(' | ')' => {
                chars.next();
                out.push(Token::Op(c));
            }
            '"' => {
                chars.next();
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some(ch) => name.push(ch),
                        None => return Err(format!("--amount '{text}': a quoted column name is never closed")),
                    }
                }
                out.push(Token::Name(name));
            }
            _ => {
                let mut word = String::new();
                while let Some(&ch) = chars.peek() {
                    if matches!(ch, '+' | '-' | '*' | '(' | ')' | '"') {
                        break;
                    }
                    word.push(ch);
                    chars.next();
                }
                let word = word.trim().to_string();
                if !word.is_empty() && word.chars().all(|ch| ch.is_ascii_digit() || ch == '.') {
                    let d: Decimal =
                        word.parse().map_err(|_| format!("--amount '{text}': \"{word}\" is not a decimal number"))?;
                    out.push(Token::Number(d));
                } else {
                    out.push(Token::Name(word));
                }
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    headers: &'a [String],
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut e = self.product()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.at += 1;
            let rhs = self.product()?;
            e = if op == '+' { Expr::Add(Box::new(e), Box::new(rhs)) } else { Expr::Sub(Box::new(e), Box::new(rhs)) };
        }
        Ok(e)
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut e = self.factor()?;
        while let Some(Token::Op('*')) = self.peek() {
            self.at += 1;
            let rhs = self.factor()?;
            e = Expr::Mul(Box::new(e), Box::new(rhs));
        }
        Ok(e)
    }

    fn factor(&mut self) -> Result<Expr, String> {
        let t = self.peek().cloned();
        self.at += 1;
        match t {
            Some(Token::Number(d)) => Ok(Expr::Constant(d)),
            Some(Token::Name(n)) => self.column(&n),
            Some(Token::Op('-')) => Ok(Expr::Neg(Box::new(self.factor()?))),
            Some(Token::Op('(')) => {
                let e = self.sum()?;
                match self.peek() {
                    Some(Token::Op(')')) => {
                        self.at += 1;
                        Ok(e)
                    }
                    _ => Err("--amount: a '(' is never closed".into()),
                }
            }
            Some(t) => Err(format!("--amount: expected a column or a number, found {}", t.describe())),
            None => Err("--amount ends where a column or a number is expected".into()),
        }
    }

    fn column(&self, name: &str) -> Result<Expr, String> {
        let want = crate::load::columns::normalize(name);
        let hits: Vec<usize> =
            (0..self.headers.len()).filter(|&i| crate::load::columns::normalize(&self.headers[i]) == want).collect();
        let hits = if hits.is_empty() {
            (0..self.headers.len()).filter(|&i| crate::load::columns::base(&self.headers[i]) == want).collect()
        } else {
            hits
        };
        match hits.as_slice() {
            [i] => Ok(Expr::Column(*i)),
            [] => Err(format!(
                "--amount names the column \"{name}\", but the headers are: {}",
                self.headers.iter().map(|h| format!("\"{}\"", h.trim())).collect::<Vec<_>>().join(", ")
            )),
            _ => Err(format!("--amount names the column \"{name}\", and {} headers are called that", hits.len())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn value(expr: &str, headers: &[&str], row: &[&str]) -> Decimal {
        let e = Expr::parse(expr, &h(headers)).unwrap();
        e.eval::<()>(&mut |i| Ok(Decimal::from_str(row[i]).unwrap())).unwrap()
    }

    #[test]
    fn products_sums_and_differences_are_exact() {
        let hs = ["Quantity", "UnitPrice", "price", "freight_value", "Unit Cost"];
        let row = ["3", "0.1", "19.99", "0.01", "2.5"];
        assert_eq!(value("Quantity*UnitPrice", &hs, &row).to_string(), "0.3");
        assert_eq!(value("price+freight_value", &hs, &row).to_string(), "20.00");
        assert_eq!(value("price - freight_value*2", &hs, &row).to_string(), "19.97");
        assert_eq!(value("(price - freight_value)*Quantity", &hs, &row).to_string(), "59.94");
        assert_eq!(value("\"Unit Cost\" * quantity * 1.25", &hs, &row).to_string(), "9.375");
        assert_eq!(value("-price", &hs, &row).to_string(), "-19.99");
        // Headers compare as the column finder compares them.
        assert_eq!(value("quantity*unit_price", &hs, &row).to_string(), "0.3");
    }

    #[test]
    fn an_unknown_column_is_named() {
        let err = Expr::parse("Qty*UnitPrice", &h(&["Quantity", "UnitPrice"])).unwrap_err();
        assert_eq!(err, "--amount names the column \"Qty\", but the headers are: \"Quantity\", \"UnitPrice\"");
        assert!(Expr::parse("Quantity*", &h(&["Quantity"])).unwrap_err().contains("ends where"));
        assert!(Expr::parse("(Quantity", &h(&["Quantity"])).unwrap_err().contains("never closed"));
        assert!(Expr::parse("", &h(&["Quantity"])).unwrap_err().contains("empty"));
    }

    #[test]
    fn columns_and_display() {
        let hs = h(&["Quantity", "Unit Price"]);
        let e = Expr::parse("Quantity*\"Unit Price\"", &hs).unwrap();
        assert_eq!(e.columns(), vec![0, 1]);
        assert_eq!(e.display(&hs), "Quantity x \"Unit Price\"");
    }

    #[test]
    fn overflow_is_an_error_not_a_wrong_number() {
        let e = Expr::parse("a*a", &h(&["a"])).unwrap();
        let big = Decimal::MAX;
        assert_eq!(e.eval::<()>(&mut |_| Ok(big)), Err(EvalError::Overflow));
        // A product or a sum the decimal type would round is refused too.
        let e = Expr::parse("a*b", &h(&["a", "b"])).unwrap();
        let v: [Decimal; 2] = ["9999999999999.999999".parse().unwrap(), "10.1234567891".parse().unwrap()];
        assert_eq!(e.eval::<()>(&mut |i| Ok(v[i])), Err(EvalError::Overflow));
        let e = Expr::parse("a+b", &h(&["a", "b"])).unwrap();
        let v = [Decimal::new(i64::MAX, 0) * Decimal::new(1_000_000_000, 0), Decimal::new(1, 6)];
        assert_eq!(e.eval::<()>(&mut |i| Ok(v[i])), Err(EvalError::Overflow));
        let e = Expr::parse("a-b", &h(&["a", "b"])).unwrap();
        assert_eq!(e.eval::<()>(&mut |i| Ok(v[i])), Err(EvalError::Overflow));
    }
}
