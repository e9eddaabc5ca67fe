//! SWEREF 99 TM (EPSG:3006), the national projection of Sweden: transverse Mercator on the
//! GRS 80 ellipsoid, central meridian 15° E, scale 0.9996, false easting 500 000 m.
//!
//! The forward projection uses Krüger's series in the third flattening, as Lantmäteriet
//! publishes it ("Gauss konforma projektion"); within Sweden it is exact to well under a
//! millimetre. Maps are drawn in its metres, so that Sweden is neither stretched (as plain
//! longitude and latitude would stretch it east–west by half) nor turned.

/// GRS 80 semi-major axis, metres.
const A: f64 = 6_378_137.0;
/// GRS 80 flattening.
const F: f64 = 1.0 / 298.257_222_101;
const CENTRAL_MERIDIAN: f64 = 15.0;
const SCALE: f64 = 0.9996;
const FALSE_EASTING: f64 = 500_000.0;

/// The constants of the series, derived once from the ellipsoid.
struct Series {
    /// The rectifying radius times the scale factor.
    k_a: f64,
    /// Coefficients for the conformal latitude.
    a: [f64; 4],
    /// Krüger's β1..β4.
    beta: [f64; 4],
}

fn series() -> &'static Series {
    static SERIES: std::sync::OnceLock<Series> = std::sync::OnceLock::new();
    SERIES.get_or_init(|| {
        let e2 = F * (2.0 - F);
        let n = F / (2.0 - F);
        let (n2, n3, n4) = (n * n, n * n * n, n * n * n * n);
        let a_hat = A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0);
        let (e4, e6, e8) = (e2 * e2, e2 * e2 * e2, e2 * e2 * e2 * e2);
        Series {
            k_a: SCALE * a_hat,
            a: [
                e2,
                (5.0 * e4 - e6) / 6.0,
                (104.0 * e6 - 45.0 * e8) / 120.0,
                1237.0 * e8 / 1260.0,
            ],
            beta: [
                n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0 + 41.0 * n4 / 180.0,
                13.0 * n2 / 48.0 - 3.0 * n3 / 5.0 + 557.0 * n4 / 1440.0,
                61.0 * n3 / 240.0 - 103.0 * n4 / 140.0,
                49561.0 * n4 / 161_280.0,
            ],
        }
    })
}

/// Projects WGS 84 longitude and latitude (degrees; the difference to SWEREF 99 is far below
/// a map's resolution) to SWEREF 99 TM easting and northing in metres.
pub(crate) fn sweref99tm(longitude: f64, latitude: f64) -> (f64, f64) {
    let s = series();
    let phi = latitude.to_radians();
    let (sin_phi, cos_phi) = phi.sin_cos();
    let sin2 = sin_phi * sin_phi;
    let conformal =
        phi - sin_phi * cos_phi * (s.a[0] + sin2 * (s.a[1] + sin2 * (s.a[2] + sin2 * s.a[3])));
    let delta = (longitude - CENTRAL_MERIDIAN).to_radians();
    let xi = (conformal.tan() / delta.cos()).atan();
    let eta = (conformal.cos() * delta.sin()).atanh();
    let mut northing = xi;
    let mut easting = eta;
    for (k, beta) in s.beta.iter().enumerate() {
        let m = 2.0 * (k as f64 + 1.0);
        northing += beta * (m * xi).sin() * (m * eta).cosh();
        easting += beta * (m * xi).cos() * (m * eta).sinh();
    }
    (s.k_a * easting + FALSE_EASTING, s.k_a * northing)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The length of the meridian from the equator to `latitude`, by numeric integration of
    /// the meridian's radius of curvature: an independent check of the northing.
    fn meridian_arc(latitude: f64) -> f64 {
        let e2 = F * (2.0 - F);
        let steps = 200_000;
        let end = latitude.to_radians();
        let h = end / f64::from(steps);
        let radius = |phi: f64| A * (1.0 - e2) / (1.0 - e2 * phi.sin().powi(2)).powf(1.5);
        // Simpson's rule.
        let mut sum = radius(0.0) + radius(end);
        for i in 1..steps {
            let w = if i % 2 == 1 { 4.0 } else { 2.0 };
            sum += w * radius(h * f64::from(i));
        }
        sum * h / 3.0
    }

    #[test]
    fn the_central_meridian_keeps_false_easting_and_scaled_arc_length() {
        for latitude in [55.0, 59.3, 62.0, 69.0] {
            let (e, n) = sweref99tm(CENTRAL_MERIDIAN, latitude);
            assert!((e - FALSE_EASTING).abs() < 1e-6, "{e}");
            let expected = SCALE * meridian_arc(latitude);
            assert!(
                (n - expected).abs() < 0.001,
                "{latitude}: {n} vs {expected}"
            );
        }
        assert_eq!(sweref99tm(CENTRAL_MERIDIAN, 0.0), (FALSE_EASTING, 0.0));
    }

    #[test]
    fn the_projection_is_conformal_with_the_scale_of_transverse_mercator() {
        // Away from the central meridian, a small step east and a small step north are
        // stretched alike (conformal) by about SCALE / cos(angular distance).
        let (lon, lat) = (20.26, 63.83); // Umeå
        let d = 1e-5;
        let (e0, n0) = sweref99tm(lon, lat);
        let (e1, n1) = sweref99tm(lon + d, lat);
        let (e2, n2) = sweref99tm(lon, lat + d);
        let e2_ = F * (2.0 - F);
        let phi = lat.to_radians();
        let w = (1.0 - e2_ * phi.sin().powi(2)).sqrt();
        let east_metres = A * phi.cos() / w * d.to_radians();
        let north_metres = A * (1.0 - e2_) / w.powi(3) * d.to_radians();
        let east_scale = (e1 - e0).hypot(n1 - n0) / east_metres;
        let north_scale = (e2 - e0).hypot(n2 - n0) / north_metres;
        assert!((east_scale - north_scale).abs() < 1e-6);
        assert!(east_scale > SCALE && east_scale < 1.0006, "{east_scale}");
        // Meridians converge towards the pole on the central meridian: east of it, going
        // north goes a little west.
        assert!(e2 < e0);
    }

    /// Snyder's power series for transverse Mercator ("Map Projections – A Working Manual",
    /// 1987, eq. 8-9 and 8-10): another derivation, for comparison.
    fn snyder(longitude: f64, latitude: f64) -> (f64, f64) {
        let e2 = F * (2.0 - F);
        let ep2 = e2 / (1.0 - e2);
        let (e4, e6) = (e2 * e2, e2 * e2 * e2);
        let phi = latitude.to_radians();
        let m = A
            * ((1.0 - e2 / 4.0 - 3.0 * e4 / 64.0 - 5.0 * e6 / 256.0) * phi
                - (3.0 * e2 / 8.0 + 3.0 * e4 / 32.0 + 45.0 * e6 / 1024.0) * (2.0 * phi).sin()
                + (15.0 * e4 / 256.0 + 45.0 * e6 / 1024.0) * (4.0 * phi).sin()
                - (35.0 * e6 / 3072.0) * (6.0 * phi).sin());
        let n = A / (1.0 - e2 * phi.sin().powi(2)).sqrt();
        let t = phi.tan().powi(2);
        let c = ep2 * phi.cos().powi(2);
        let a = (longitude - CENTRAL_MERIDIAN).to_radians() * phi.cos();
        let x = SCALE
            * n
            * (a + (1.0 - t + c) * a.powi(3) / 6.0
                + (5.0 - 18.0 * t + t * t + 72.0 * c - 58.0 * ep2) * a.powi(5) / 120.0);
        let y = SCALE
            * (m + n
                * phi.tan()
                * (a * a / 2.0
                    + (5.0 - t + 9.0 * c + 4.0 * c * c) * a.powi(4) / 24.0
                    + (61.0 - 58.0 * t + t * t + 600.0 * c - 330.0 * ep2) * a.powi(6) / 720.0));
        (x + FALSE_EASTING, y)
    }

    #[test]
    fn agrees_with_another_series_across_sweden() {
        // Snyder's series loses a centimetre or so 9° from the meridian; Krüger's does not.
        // Corners and middle of Sweden: Smygehuk, Treriksröset, Strömstad, Haparanda, Stockholm.
        for (lon, lat) in [
            (13.36, 55.34),
            (20.55, 69.06),
            (11.17, 58.94),
            (24.14, 65.83),
            (18.0686, 59.3293),
        ] {
            let (e, n) = sweref99tm(lon, lat);
            let (se, sn) = snyder(lon, lat);
            assert!(
                (e - se).abs() < 0.05 && (n - sn).abs() < 0.05,
                "{lon} {lat}: {e} {n} vs {se} {sn}"
            );
        }
        // Stockholm is about 674.6 km east and 6 580.7 km north in SWEREF 99 TM.
        let (e, n) = sweref99tm(18.0686, 59.3293);
        assert_eq!((e.round(), n.round()), (674_572.0, 6_580_743.0));
    }
}
