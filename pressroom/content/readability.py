"""Reading level of an edition's text, as guidance for plain language.

English: Flesch-Kincaid grade. Spanish: Fernández-Huerta ease (0-100, higher
is easier), placed on the same grade scale with its published table so one
target works for both. Other languages have no formula here and are skipped.

textstat counts words and sentences, and English syllables from the packaged
CMU dictionary; nothing is downloaded. It keeps per-language state
(``set_lang``), so every call sets it. Spanish syllables are counted here by
the rules of Spanish spelling (one syllable per vowel nucleus), not with
textstat's Pyphen count: a hyphenation dictionary never splits a single vowel
off a word's edge (a-gua, o-jo, a-é-re-o), so it under-counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import textstat

# Fernández-Huerta ease -> school grade (legible.es after Fernández Huerta 1959):
# 90-100 grade 4, 80-90 grade 5, 70-80 grade 6, 60-70 grades 7-8,
# 50-60 grades 9-12, 30-50 university, below 30 graduate. Interpolated between.
FERNANDEZ_HUERTA_GRADES = ((100, 3.0), (90, 4.0), (80, 5.0), (70, 6.0), (60, 8.0), (50, 12.0), (30, 16.0), (0, 18.0))
# Spanish vowels: strong ones (and a stressed i or u) each make a syllable
# nucleus; an unstressed i/u (or ü) joins the vowel next to it (diphthong).
STRONG_VOWELS = set("aeoáéóíú")
WEAK_VOWELS = set("iuü")
SPANISH_WORD = re.compile(r"[a-záéíóúüñ]+", re.IGNORECASE)
# Below this many words a score says little: short sections are not judged.
MIN_WORDS = 40


@dataclass(frozen=True)
class Reading:
    formula: str
    score: float  # the formula's own figure (a grade, or an ease for Fernández-Huerta)
    grade: float  # on the school-grade scale the target uses
    words: int

    def describe(self) -> str:
        if self.formula == "Flesch-Kincaid":
            return f"grade {self.grade:.1f} (Flesch-Kincaid)"
        return f"grade {self.grade:.1f} (Fernández-Huerta ease {self.score:.1f})"


def grade_from_fernandez_huerta(ease: float) -> float:
    ease = max(0.0, min(100.0, ease))
    for (high, high_grade), (low, low_grade) in zip(FERNANDEZ_HUERTA_GRADES, FERNANDEZ_HUERTA_GRADES[1:]):
        if ease >= low:
            return high_grade + (high - ease) / (high - low) * (low_grade - high_grade)
    return FERNANDEZ_HUERTA_GRADES[-1][1]


def spanish_syllables(word: str) -> int:
    """Syllables of a Spanish word: vowel nuclei, where strong vowels side by
    side are in hiatus (le-er, dí-a) and a weak vowel joins its neighbour
    (ciu-dad, a-gua). A final "y" after a vowel (hoy, muy) is part of it; "y"
    alone is a word of one syllable."""
    word = word.lower()
    if word == "y":
        return 1
    count, previous = 0, None  # previous letter: "strong", "weak" or None (not a vowel)
    for char in word:
        if char in STRONG_VOWELS:
            if previous != "weak":  # after a weak vowel it shares its nucleus (ia, ue)
                count += 1
            previous = "strong"
        elif char in WEAK_VOWELS:
            if previous is None:  # after a vowel it joins that one (ai, eu, iu)
                count += 1
            previous = "weak"
        else:
            previous = None
    return max(count, 1)


def supported(lang: str) -> bool:
    return lang in ("en", "es")


def reading_level(text: str, lang: str) -> Reading | None:
    """The reading level of ``text``; None for an unsupported language or no words."""
    if not supported(lang):
        return None
    textstat.set_lang(lang)
    words = textstat.lexicon_count(text)
    if words == 0:
        return None
    if lang == "en":
        grade = textstat.flesch_kincaid_grade(text)
        return Reading("Flesch-Kincaid", grade, grade, words)
    syllables = sum(spanish_syllables(w) for w in SPANISH_WORD.findall(text))
    sentences = max(1, textstat.sentence_count(text))
    # Fernández Huerta (1959) as corrected and used by legible.es and textstat:
    # 206.84 - 0.60 x syllables per 100 words - 1.02 x words per sentence.
    ease = 206.84 - 60 * syllables / words - 1.02 * words / sentences
    return Reading("Fernández-Huerta", ease, grade_from_fernandez_huerta(ease), words)
