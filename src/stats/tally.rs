//! How many answered helt, delvis, inte, or left an indicator unanswered.

use serde::Serialize;

use crate::model::Answer;

/// How many answered helt, delvis or inte, and how many left an indicator unanswered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Tally {
    /// Answers "uppfyller helt".
    pub helt: u32,
    /// Answers "uppfyller delvis".
    pub delvis: u32,
    /// Answers "uppfyller inte alls".
    pub inte: u32,
    /// Indicators left unanswered.
    pub obesvarad: u32,
}

impl Tally {
    /// The tally of a single answer (one municipality's indicator).
    pub fn of(answer: Option<Answer>) -> Tally {
        let mut t = Tally::default();
        t.add(answer);
        t
    }

    /// Counts one more answer (`None`: unanswered).
    pub fn add(&mut self, answer: Option<Answer>) {
        match answer {
            Some(Answer::Helt) => self.helt += 1,
            Some(Answer::Delvis) => self.delvis += 1,
            Some(Answer::Inte) => self.inte += 1,
            None => self.obesvarad += 1,
        }
    }

    /// Takes back one answer counted before (`None`: unanswered).
    pub(crate) fn remove(&mut self, answer: Option<Answer>) {
        let count = match answer {
            Some(Answer::Helt) => &mut self.helt,
            Some(Answer::Delvis) => &mut self.delvis,
            Some(Answer::Inte) => &mut self.inte,
            None => &mut self.obesvarad,
        };
        *count = count.saturating_sub(1);
    }

    /// Adds another tally to this one.
    pub fn merge(&mut self, other: &Tally) {
        self.helt += other.helt;
        self.delvis += other.delvis;
        self.inte += other.inte;
        self.obesvarad += other.obesvarad;
    }

    /// All indicators counted, unanswered included.
    pub fn total(&self) -> u32 {
        self.helt + self.delvis + self.inte + self.obesvarad
    }

    pub(crate) fn answered(&self) -> u32 {
        self.helt + self.delvis + self.inte
    }

    pub(crate) fn count(&self, answer: Option<Answer>) -> u32 {
        match answer {
            Some(Answer::Helt) => self.helt,
            Some(Answer::Delvis) => self.delvis,
            Some(Answer::Inte) => self.inte,
            None => self.obesvarad,
        }
    }

    /// Points as the method scores them: helt 3, delvis 2, inte 1.
    pub(crate) fn points(&self) -> u32 {
        3 * self.helt + 2 * self.delvis + self.inte
    }

    /// helt / (helt + delvis + inte), or `None` when nothing is answered.
    pub(crate) fn share_helt(&self) -> Option<f64> {
        let answered = self.answered();
        (answered > 0).then(|| f64::from(self.helt) / f64::from(answered))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kumla_2017_points() {
        // Seed 002: 10 helt, 38 delvis, 40 inte of 88 indicators.
        let t = Tally {
            helt: 10,
            delvis: 38,
            inte: 40,
            obesvarad: 0,
        };
        assert_eq!(t.total(), 88);
        assert_eq!(t.points(), 30 + 76 + 40);
    }
}
