//! Text on PNG charts, each glyph drawn where its outline begins.
//!
//! plotters 0.3.7 rasterises text with ab_glyph but puts the first ink
//! column of every glyph at the pen position, dropping the glyph's left
//! side bearing: a narrow glyph such as `1` is drawn too far left and
//! leaves a gap after it (`2012-1 0` for `2012-10`). [`Glyphs`] wraps a
//! bitmap backend and draws text itself, with the same layout box,
//! anchors, rotation and vertical placement as plotters, and the glyphs
//! at their bearings; wide lines are drawn a segment at a time (plotters'
//! mitred joins otherwise spike past the plot at sharp turns); everything
//! else passes through. SVG is not affected (it writes text as text and
//! lines as polylines the browser joins).

use ab_glyph::{Font, FontRef, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};

/// A backend whose text is drawn by [`draw_glyphs`] in `font`.
pub struct Glyphs<B> {
    pub inner: B,
    pub font: FontRef<'static>,
}

/// Each pixel of `text` in `font` at `size` px, with its coverage, the pen
/// starting at x = 0 and the glyphs placed as plotters places them
/// vertically (`size / 2` below the top of the outline box).
pub fn draw_glyphs<E>(
    font: &FontRef<'static>,
    size: f64,
    text: &str,
    mut draw: impl FnMut(i32, i32, f32) -> Result<(), E>,
) -> Result<(), E> {
    let font = font.as_scaled(size as f32);
    let mut pen = 0f32;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            pen += font.kern(p, id);
        }
        prev = Some(id);
        let mut glyph = font.scaled_glyph(c);
        glyph.position = point(pen, 0.0);
        if let Some(outline) = font.outline_glyph(glyph) {
            let rect = outline.px_bounds();
            let (x0, y0) = (rect.min.x as i32, ((size as f32) / 2.0 + rect.min.y) as i32);
            let mut pixels = Vec::new();
            outline.draw(|x, y, a| pixels.push((x as i32 + x0, y as i32 + y0, a)));
            for (x, y, a) in pixels {
                draw(x, y, a)?;
            }
        }
        pen += font.h_advance(id);
    }
    Ok(())
}

impl<B: DrawingBackend> DrawingBackend for Glyphs<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        // A wide line is drawn segment by segment: plotters joins the
        // segments of one wide path with unlimited mitres, so a sharp turn
        // (a daily spike) shot a spear far past the plot.
        if style.stroke_width() > 1 {
            let points: Vec<BackendCoord> = path.into_iter().collect();
            if points.len() > 2 {
                for pair in points.windows(2) {
                    self.inner.draw_path(pair.iter().copied(), style)?;
                }
                return Ok(());
            }
            return self.inner.draw_path(points, style);
        }
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, (iw, ih), src)
    }

    /// As plotters' own `draw_text`, with the glyphs drawn by [`draw_glyphs`].
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) =
            style.layout_box(text).map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let (w, h) = self.inner.get_size();
        let inner = &mut self.inner;
        draw_glyphs(&self.font, style.size(), text, |x, y, a| {
            let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                inner.draw_pixel((x, y), color.mix(f64::from(a)))
            } else {
                Ok(())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs of ink columns of `text` drawn at `size` px in the
    /// chart's font (a column is inked when a pixel is over 30 % covered).
    fn ink_runs(text: &str, size: f64) -> usize {
        let font = FontRef::try_from_slice(include_bytes!("../../assets/DejaVuSans.ttf")).unwrap();
        let mut ink = [false; 200];
        draw_glyphs::<()>(&font, size, text, |x, _, a| {
            if a > 0.3 {
                ink[x as usize] = true;
            }
            Ok(())
        })
        .unwrap();
        ink.split(|i| !*i).filter(|run| !run.is_empty()).count()
    }

    #[test]
    fn every_glyph_of_a_month_label_stands_apart() {
        // Seven glyphs, seven runs of ink with a blank column between
        // each two. plotters 0.3.7 drew each glyph at the pen, its bearing
        // dropped: at 13 px the 0 and 1 of 2012 ran together and the 1 and
        // 0 of 10 stood three columns apart (`2012-1 0`), 6 runs.
        for size in [10.0, 12.0, 13.0, 15.0] {
            for label in ["2012-10", "2012-11", "2012-12"] {
                assert_eq!(ink_runs(label, size), 7, "{label} at {size} px");
            }
        }
    }
}
